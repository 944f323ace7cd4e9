using Gatehouse.Contracts.Authorization;

namespace Gatehouse.Authorization.Tests.Roles;

/// <summary>
/// Roles through the gatehouse commands against the real service on a real port, with tokens in GATEHOUSE_TOKEN as
/// operators give them.
/// </summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_an_operator_manages_roles_with_the_gatehouse_cli(AnEmptyAuthorizationStore service)
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Should_define_a_role_add_a_member_and_grant_the_role()
    {
        var role = $"cli-role-{_suffix}";
        var target = $"cli-r-{_suffix}";
        var user = $"cli-member-{_suffix}";
        await service.CreateUsersAsync(user);
        var admin = As("cli-admin", "admin");

        Assert.Equal(0, (await Run(admin, "roles", "define", role, "--description", "on-call")).Exit);
        Assert.Equal(0, (await Run(admin, "roles", "add-member", role, user)).Exit);
        Assert.Equal(0, (await Run(admin, "targets", "add", target, "--address", "10.9.1.1", "--login", "deploy")).Exit);
        Assert.Equal(0, (await Run(admin, "grants", "issue", "--role", role, "--target", target, "--login", "deploy")).Exit);

        Assert.IsType<AccessAllowed>(await service.CheckAsync(user, target));
        Assert.Equal(0, (await Run(admin, "roles", "remove-member", role, user)).Exit);
        Assert.IsType<AccessRefused>(await service.CheckAsync(user, target));
    }

    private string As(string user, params string[] roles) => service.Token(user, roles);

    private Task<(int Exit, string Out, string Error)> Run(string token, params string[] args) => service.RunCliAsync(token, args);
}
