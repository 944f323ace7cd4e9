using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.WebConsole.Pages.Administration;

/// <summary>A vault entry as the SessionBroker lists it: which target login has a credential, of which kind, sealed under which key.</summary>
public sealed record VaultEntryRecord(string Target, string Login, string Kind, string KeyId, string StoredBy, DateTimeOffset StoredAt);

/// <summary>
/// Storing a credential. Write-only: the secret is sent to the SessionBroker and dropped; no page ever puts it back in
/// a field (the form is rendered without it, even when the service refused it).
/// </summary>
public sealed class StoreCredentialForm
{
    public string? Target { get; set; }

    public string? Login { get; set; }

    /// <summary>Password or PrivateKey.</summary>
    public string Kind { get; set; } = "Password";

    public string? Secret { get; set; }
}

public sealed class CredentialSlotForm
{
    public string? Target { get; set; }

    public string? Login { get; set; }
}

/// <summary>The credential vault: names and key ids only, never a secret; storing (write-only) and removing a credential.</summary>
public sealed class VaultModel(ServiceApis apis) : AdministrationPage(apis)
{
    public IReadOnlyList<VaultEntryRecord> Entries { get; private set; } = [];

    [BindProperty]
    public StoreCredentialForm Store { get; set; } = new();

    [BindProperty]
    public CredentialSlotForm Remove { get; set; } = new();

    protected override IReadOnlyDictionary<string, string> Notices { get; } = new Dictionary<string, string>
    {
        ["stored"] = "Credential stored; it is not shown again.",
        ["removed"] = "Credential removed.",
    };

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var answer = await Apis.GetAsync<List<VaultEntryRecord>>(GatehouseService.SessionBroker, "api/vault/credentials", cancellationToken);
        Entries = answer.Value ?? [];
        Problem = answer.Succeeded ? null : answer.Problem;
    }

    public async Task<IActionResult> OnPostStoreAsync(CancellationToken cancellationToken)
    {
        var secret = Store.Secret;
        Store.Secret = null;
        // The submitted value would otherwise be what a re-rendered form offers back.
        ModelState.Remove($"{nameof(Store)}.{nameof(StoreCredentialForm.Secret)}");
        var body = Store.Kind == "PrivateKey"
            ? new { privateKey = secret, password = (string?)null }
            : new { privateKey = (string?)null, password = secret };
        return await ChangeAsync(Apis.PutAsync<object>(GatehouseService.SessionBroker, SlotPath(Store.Target, Store.Login), body, cancellationToken),
            "stored", nameof(Store), Store, cancellationToken);
    }

    public Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.DeleteAsync<object>(GatehouseService.SessionBroker, SlotPath(Remove.Target, Remove.Login), cancellationToken), "removed",
            nameof(Remove), Remove, cancellationToken);

    // Blank parts still reach the service (a blank segment would not route), which says what is wrong with them.
    private static string SlotPath(string? target, string? login) =>
        $"api/vault/credentials/{Escape(string.IsNullOrWhiteSpace(target) ? " " : target)}/{Escape(string.IsNullOrWhiteSpace(login) ? " " : login)}";
}
