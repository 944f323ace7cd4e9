namespace Gatehouse.Contracts;

/// <summary>Whom a grant covers.</summary>
/// <remarks>Stored and sent by name; new members go at the end so a number written by an older client still reads.</remarks>
public enum GrantSubjectKind
{
    /// <summary>One user.</summary>
    User,

    /// <summary>
    /// The members of an access role (Authorization's <c>roles</c>). Grants stored before <see cref="ApiRole"/> existed that
    /// name an API role no access role is called read as API role grants (Authorization's <c>RolesBeforeTheSplit</c>).
    /// </summary>
    Role,

    /// <summary>Everyone whose API role (admin, approver, soc-analyst, user: from Authentication, relayed by the gateway) is the subject.</summary>
    ApiRole,
}
