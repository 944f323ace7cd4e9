using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Doctor;

namespace Gatehouse.SessionBroker.Tests.Doctor;

/// <summary>Certificates near or past their end and keys past their rotation age, as a table with the time passed in.</summary>
public sealed class When_the_doctor_checks_key_and_certificate_ages
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<double?, double?, string> Cases => new()
    {
        // made (days before now), ends (days after now; negative: before); the finding codes expected
        { 10, null, "" },
        { 364, null, "" },
        { 366, null, "credential-old" },
        { null, null, "" },
        { 10, 31, "" },
        { 10, 29, "credential-expiring" },
        { 10, 0.5, "credential-expiring" },
        { 10, 0, "credential-expired" },
        { 10, -3, "credential-expired" },
        { 400, -3, "credential-expired,credential-old" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_credential_is_judged_by_its_end_and_its_age(double? madeDaysAgo, double? endsInDays, string expected)
    {
        var credential = new DatedCredential("The Gatehouse user CA key SHA256:x", madeDaysAgo is { } made ? Now.AddDays(-made) : null,
            endsInDays is { } ends ? Now.AddDays(ends) : null, "gatehouse ca rotate --user");

        var findings = CredentialAges.Judge([credential], Now, TimeSpan.FromDays(30), TimeSpan.FromDays(365));

        Assert.Equal(expected, string.Join(",", findings.Select(f => f.Code)));
        Assert.All(findings, f => Assert.Equal("gatehouse ca rotate --user", f.Fix));
    }

    [Fact]
    public void An_expired_credential_is_critical_one_about_to_expire_high_and_an_old_key_medium()
    {
        var findings = CredentialAges.Judge([
            new DatedCredential("expired", null, Now.AddDays(-1), "renew"),
            new DatedCredential("expiring", null, Now.AddDays(3), "renew"),
            new DatedCredential("old", Now.AddDays(-500), null, "rotate"),
        ], Now, TimeSpan.FromDays(30), TimeSpan.FromDays(365));

        Assert.Equal([FindingSeverity.Critical, FindingSeverity.High, FindingSeverity.Medium], findings.Select(f => f.Severity));
        Assert.Contains("in 3 days", findings[1].Title);
        Assert.Contains("500 days ago", findings[2].Title);
    }
}
