using System.Net.Http.Json;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.Doctor;

namespace Gatehouse.EndToEnd.Tests.Posture;

[Collection(GatehouseCollection.Name)]
public sealed class When_an_administrator_runs_the_doctor(GatehouseStack stack)
{
    [Fact]
    public async Task Should_find_a_secret_every_user_can_read_in_the_state_folder()
    {
        var secret = Path.Combine(stack.Work, "gateway-hostkeys", $"leaked-{Guid.NewGuid():N}.key");
        Directory.CreateDirectory(Path.GetDirectoryName(secret)!);
        await File.WriteAllTextAsync(secret, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        try
        {
            var report = await stack.BrokerAdmin.GetFromJsonAsync<DoctorReport>("api/doctor", GatehouseStack.Json);

            var leaked = Assert.Single(report!.Findings, f => f.Code == "world-readable-secret" && f.Title.Contains(secret));
            Assert.Equal(FindingSeverity.Critical, leaked.Severity);
            Assert.Equal(FindingSeverity.Critical, report.Findings[0].Severity);
            Assert.Contains(report.Findings, f => f.Code == "nuget-not-checked");
        }
        finally
        {
            File.Delete(secret);
        }
    }
}
