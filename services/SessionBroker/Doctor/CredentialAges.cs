using Gatehouse.Contracts;

namespace Gatehouse.SessionBroker.Doctor;

/// <summary>A key or certificate the bastion depends on, with what is known of its life.</summary>
/// <param name="CreatedAt">When the key was made; null when that is not known.</param>
/// <param name="ExpiresAt">When it stops working (a certificate); null when it does not expire.</param>
/// <param name="Rotate">How an operator replaces it.</param>
public sealed record DatedCredential(string Name, DateTimeOffset? CreatedAt, DateTimeOffset? ExpiresAt, string Rotate);

/// <summary>
/// Keys and certificates near or past their end, or older than the rotation age. Pure: the credentials, the time and
/// the limits are passed in.
/// </summary>
public static class CredentialAges
{
    public static IReadOnlyList<PostureFinding> Judge(IReadOnlyList<DatedCredential> credentials, DateTimeOffset now, TimeSpan expiryWarning,
        TimeSpan rotationAge)
    {
        var findings = new List<PostureFinding>();
        foreach (var credential in credentials)
        {
            if (credential.ExpiresAt is { } expires && expires <= now)
            {
                findings.Add(new PostureFinding("credential-expired", FindingSeverity.Critical,
                    $"{credential.Name} expired on {expires:yyyy-MM-dd HH:mm} UTC", credential.Rotate));
            }
            else if (credential.ExpiresAt is { } soon && soon - now <= expiryWarning)
            {
                findings.Add(new PostureFinding("credential-expiring", FindingSeverity.High,
                    $"{credential.Name} expires on {soon:yyyy-MM-dd HH:mm} UTC, in {Days(soon - now)}", credential.Rotate));
            }

            if (credential.CreatedAt is { } created && now - created > rotationAge)
            {
                findings.Add(new PostureFinding("credential-old", FindingSeverity.Medium,
                    $"{credential.Name} was made on {created:yyyy-MM-dd}, {Days(now - created)} ago (rotation age {Days(rotationAge)})", credential.Rotate));
            }
        }

        return findings;
    }

    private static string Days(TimeSpan span) => span.TotalDays >= 1 ? $"{(int)span.TotalDays} days" : $"{Math.Max(0, (int)span.TotalHours)} hours";
}
