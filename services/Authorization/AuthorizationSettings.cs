using System.ComponentModel.DataAnnotations;

namespace Gatehouse.Authorization;

/// <summary>The service's own settings, from <c>Gatehouse:Authorization</c>.</summary>
public sealed class AuthorizationSettings
{
    public const string Section = "Gatehouse:Authorization";

    /// <summary>How often each instance catches its in-memory index up with grants other instances wrote.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan IndexRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest just-in-time access an approval may give.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan MaxAccessRequestDuration { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long a just-in-time request waits for an approver before it can no longer be approved.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan AccessRequestApprovalWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long issuing a grant to a user waits for the Authentication service to say the user exists; no answer refuses the grant.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:01:00")]
    public TimeSpan UserLookupTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
