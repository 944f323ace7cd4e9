namespace Gatehouse.Contracts;

/// <summary>Why an API refused an administrative change (the HTTP answer it gave).</summary>
public enum ChangeRefusalReason
{
    /// <summary>403: the caller's token lacks the role the change needs.</summary>
    Forbidden,

    /// <summary>400 (or 413): the request was invalid and nothing was read into the store.</summary>
    InvalidInput,

    /// <summary>409: the change contradicts what is stored (a name taken, the last admin, another writer first).</summary>
    Conflict,

    /// <summary>404: the change named something that does not exist (an id probed or mistyped).</summary>
    NotFound,
}
