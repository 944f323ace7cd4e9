using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.WebConsole.Pages.Administration;

public sealed record UserRecord(string UserName, IReadOnlyList<string> Roles, bool Disabled, bool HasPassword, bool MfaEnrolled,
    int RecoveryCodesLeft, IReadOnlyList<UserKeyRecord> Keys, DateTimeOffset CreatedAt, DateTimeOffset? LockedUntil = null,
    IReadOnlyList<AddressBlockRecord>? BlockedAt = null);

public sealed record UserKeyRecord(string Algorithm, string Fingerprint, string? Comment, DateTimeOffset? ExpiresAt = null);

public sealed record AddressBlockRecord(string Address, DateTimeOffset Until);

public sealed class CreateUserForm
{
    public string? UserName { get; set; }

    public List<string> Roles { get; set; } = [];
}

/// <summary>The Gatehouse users as the Authentication service lists them (never a hash or a secret: the API gives none), and creating one.</summary>
public sealed class UsersModel(ServiceApis apis) : AdministrationPage(apis)
{
    public IReadOnlyList<UserRecord> Users { get; private set; } = [];

    [BindProperty]
    public CreateUserForm Create { get; set; } = new();

    protected override IReadOnlyDictionary<string, string> Notices { get; } = new Dictionary<string, string> { ["created"] = "User created." };

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var answer = await Apis.GetAsync<List<UserRecord>>(GatehouseService.Authentication, "api/users", cancellationToken);
        Users = answer.Value ?? [];
        Problem = answer.Succeeded ? null : answer.Problem;
    }

    public Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.PostAsync<object>(GatehouseService.Authentication, "api/users", new { userName = Create.UserName, roles = Create.Roles },
            cancellationToken), "created", nameof(Create), Create, cancellationToken);
}
