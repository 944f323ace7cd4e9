using System.Reflection;
using Gatehouse.Contracts;

namespace Gatehouse.Audit.Tests.Soc.Exporting;

/// <summary>
/// At least one event of every contract access event type, made from its constructor, and one more for each value of
/// each enum it carries (every SFTP operation, both grant subject kinds, ...). A new event type is included by itself;
/// a parameter type this cannot fill fails the test that uses it, naming it.
/// </summary>
public static class EveryAccessEvent
{
    public static IReadOnlyList<IAccessEvent> Samples(string user, DateTimeOffset now) =>
        AccessEventTypes.All.SelectMany(type => SamplesOf(type, user, now)).ToList();

    private static IEnumerable<IAccessEvent> SamplesOf(Type type, string user, DateTimeOffset now)
    {
        var constructor = type.GetConstructors().Single();
        var parameters = constructor.GetParameters();
        yield return Make(constructor, parameters.Select(p => Value(p, user, now)).ToArray());
        for (var i = 0; i < parameters.Length; i++)
        {
            var enumType = Nullable.GetUnderlyingType(parameters[i].ParameterType) ?? parameters[i].ParameterType;
            if (!enumType.IsEnum)
            {
                continue;
            }

            foreach (var value in Enum.GetValues(enumType).Cast<object>().Skip(1))
            {
                var values = parameters.Select(p => Value(p, user, now)).ToArray();
                values[i] = value;
                yield return Make(constructor, values);
            }
        }
    }

    private static IAccessEvent Make(ConstructorInfo constructor, object?[] values) => (IAccessEvent)constructor.Invoke(values);

    private static object? Value(ParameterInfo parameter, string user, DateTimeOffset now)
    {
        var name = parameter.Name!;
        var type = parameter.ParameterType;
        return name switch
        {
            "UserName" or "Subject" or "Reader" or "Actor" => user,
            "SourceAddress" or "Address" => "10.0.0.5",
            "TargetAddress" => "10.0.0.7:22",
            "Target" or "Name" when type == typeof(string) => "web01",
            "CorrelationId" => Guid.NewGuid().ToString(),
            "EventId" => Guid.CreateVersion7(now),
            "OccurredAt" => now,
            "Path" => "/srv/reports/q3.csv",
            "NewPath" => "/srv/reports/q3-final.csv",
            _ when type == typeof(string) => $"{name.ToLowerInvariant()}-sample",
            _ when type == typeof(Guid) => Guid.NewGuid(),
            _ when type == typeof(int) => 3,
            _ when type == typeof(long) => 1024L,
            _ when type == typeof(ulong) => 4242UL,
            _ when type == typeof(bool) => true,
            _ when type == typeof(DateTimeOffset) => now.AddHours(1),
            _ when type == typeof(TimeSpan) => TimeSpan.FromHours(1),
            _ when type == typeof(IReadOnlyList<string>) => new[] { "sample" },
            _ when type == typeof(IReadOnlyDictionary<string, string>) => new Dictionary<string, string> { ["env"] = "prod" },
            _ when type == typeof(IReadOnlyList<GrantTimeWindow>) => Array.Empty<GrantTimeWindow>(),
            _ when type == typeof(IReadOnlyList<ShellCommand>) => new[] { new ShellCommand("rm", ["-rf", "/srv/old"]) },
            _ when type == typeof(SshAlgorithms) => new SshAlgorithms("mlkem768x25519-sha256", "chacha20-poly1305@openssh.com", "ssh-ed25519"),
            _ when type == typeof(TargetSshServer) => new TargetSshServer("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2", ["curve25519-sha256"],
                ["chacha20-poly1305@openssh.com"], ["hmac-sha2-256-etm@openssh.com"], ["ssh-ed25519"], false),
            _ when type == typeof(IReadOnlyList<PostureFinding>) => new[]
            {
                new PostureFinding("CVE-2024-6387", FindingSeverity.Critical, "regreSSHion", "install the update", Vulnerability: true),
            },
            _ when type == typeof(DateOnly) => DateOnly.FromDateTime(now.UtcDateTime),
            _ when type.IsEnum => Enum.GetValues(type).GetValue(0),
            _ when Nullable.GetUnderlyingType(type) is not null => null,
            _ => throw new NotSupportedException($"No sample value for {parameter.Member.DeclaringType!.Name}.{name} ({type.Name}): add one"),
        };
    }
}
