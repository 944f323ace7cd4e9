using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.WebConsole.Pages.Administration;

public sealed class RolesForm
{
    public List<string> Roles { get; set; } = [];
}

public sealed class AddKeyForm
{
    /// <summary>One authorized_keys line.</summary>
    public string? PublicKey { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }
}

public sealed class RemoveKeyForm
{
    public string? Fingerprint { get; set; }
}

/// <summary>One user: roles, disable/enable, keys, unlock and removing a lost authenticator, each through the Authentication API.</summary>
public sealed class UserModel(ServiceApis apis) : AdministrationPage(apis)
{
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    public UserRecord? Person { get; private set; }

    [BindProperty]
    public RolesForm Roles { get; set; } = new();

    [BindProperty]
    public AddKeyForm AddKey { get; set; } = new();

    [BindProperty]
    public RemoveKeyForm RemoveKey { get; set; } = new();

    /// <summary>The forms without fields of their own (disable, enable, unlock, reset MFA) report under this name.</summary>
    public object State { get; } = new();

    protected override IReadOnlyDictionary<string, string> Notices { get; } = new Dictionary<string, string>
    {
        ["roles"] = "Roles changed.",
        ["disabled"] = "User disabled: every credential is refused.",
        ["enabled"] = "User enabled.",
        ["unlocked"] = "Locks and blocks on this user lifted.",
        ["mfa-reset"] = "Authenticator removed: the user enrolls again.",
        ["key-added"] = "Key added.",
        ["key-removed"] = "Key removed.",
    };

    private string Path => $"api/users/{Escape(Name)}";

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var answer = await Apis.GetAsync<UserRecord>(GatehouseService.Authentication, Path, cancellationToken);
        Person = answer.Value;
        Problem = answer.Succeeded ? null : answer.Problem;
        if (Person is not null && Roles.Roles.Count == 0 && !ModelState.ContainsKey($"{nameof(Roles)}.{nameof(RolesForm.Roles)}"))
        {
            Roles.Roles = [.. Person.Roles];
        }
    }

    public Task<IActionResult> OnPostRolesAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.PutAsync<object>(GatehouseService.Authentication, $"{Path}/roles", new { roles = Roles.Roles }, cancellationToken),
            "roles", nameof(Roles), Roles, cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken) => StateChangeAsync("disable", "disabled", cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken) => StateChangeAsync("enable", "enabled", cancellationToken);

    public Task<IActionResult> OnPostUnlockAsync(CancellationToken cancellationToken) => StateChangeAsync("unlock", "unlocked", cancellationToken);

    public Task<IActionResult> OnPostResetMfaAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.DeleteAsync<object>(GatehouseService.Authentication, $"{Path}/mfa", cancellationToken), "mfa-reset", nameof(State), State,
            cancellationToken);

    public Task<IActionResult> OnPostAddKeyAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.PostAsync<object>(GatehouseService.Authentication, $"{Path}/keys",
            new { publicKey = AddKey.PublicKey, expiresAt = AddKey.ExpiresAt }, cancellationToken), "key-added", nameof(AddKey), AddKey, cancellationToken);

    public Task<IActionResult> OnPostRemoveKeyAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.DeleteAsync<object>(GatehouseService.Authentication,
            $"{Path}/keys?fingerprint={Escape(RemoveKey.Fingerprint ?? "")}", cancellationToken), "key-removed", nameof(RemoveKey), RemoveKey,
            cancellationToken);

    private Task<IActionResult> StateChangeAsync(string action, string done, CancellationToken cancellationToken) =>
        ChangeAsync(Apis.PostAsync<object>(GatehouseService.Authentication, $"{Path}/{action}", new { }, cancellationToken), done, nameof(State),
            State, cancellationToken);
}
