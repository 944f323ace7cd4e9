using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Authentication.Tests.Users;

/// <summary>Users as their events leave them, and an administrator acting at a fixed time: the deciders' inputs, no store.</summary>
public static class Given
{
    public static readonly DateTimeOffset Now = new(2026, 12, 4, 18, 0, 0, TimeSpan.Zero);

    public static readonly ApiCaller Admin = new("root-admin", "10.0.0.5", "corr-1", Now);

    public static readonly Guid EventId = Guid.CreateVersion7(Now);

    public static UserAccount User(string name = "alice", params string[] roles)
    {
        var id = Guid.CreateVersion7(Now.AddDays(-1));
        return UserAccount.Create(new UserCreated(id, name, roles.Length == 0 ? [Roles.User] : roles,
            "root-admin", null, "corr-0", Guid.CreateVersion7(Now.AddDays(-1)), Now.AddDays(-1)));
    }

    public static UserAccount AdminUser(string name = "ada") => User(name, Roles.Admin);

    public static T Single<T>(UserDecision decision)
    {
        Assert.Null(decision.Refusal);
        return Assert.IsType<T>(Assert.Single(decision.Events));
    }

    public static void Refused(UserDecision decision, int statusCode, string reason)
    {
        Assert.Empty(decision.Events);
        Assert.Equal(statusCode, decision.Refusal?.StatusCode);
        Assert.Contains(reason, decision.Refusal!.Reason);
    }
}
