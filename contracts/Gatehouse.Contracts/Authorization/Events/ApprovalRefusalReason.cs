namespace Gatehouse.Contracts;

/// <summary>Why an approval of an access request was refused.</summary>
public enum ApprovalRefusalReason
{
    /// <summary>The approver is the requester: another approver must decide.</summary>
    OwnRequest,

    /// <summary>The request was already approved or denied.</summary>
    AlreadyDecided,

    /// <summary>The request waited longer than the approval window and lapsed.</summary>
    Lapsed,
}
