using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Administration;

public sealed record UserRecord(string UserName, IReadOnlyList<string> Roles, bool Disabled, bool HasPassword, bool MfaEnrolled,
    int RecoveryCodesLeft, IReadOnlyList<UserKeyRecord> Keys, DateTimeOffset CreatedAt);

public sealed record UserKeyRecord(string Algorithm, string Fingerprint, string? Comment);

/// <summary>The Gatehouse users as the Authentication service lists them (never a hash or a secret: the API gives none).</summary>
public sealed class UsersModel(ServiceApis apis) : PageModel
{
    public IReadOnlyList<UserRecord> Users { get; private set; } = [];

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var answer = await apis.GetAsync<List<UserRecord>>(GatehouseService.Authentication, "api/users", cancellationToken);
        Users = answer.Value ?? [];
        Problem = answer.Succeeded ? null : answer.Problem;
    }
}
