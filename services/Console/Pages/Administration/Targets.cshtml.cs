using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.WebConsole.Pages.Administration;

public sealed record TargetRecord(string Name, string Address, int Port, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> Logins,
    string? HostKey, string? HostKeyFingerprint, DateTimeOffset RegisteredAt, string RegisteredBy);

public sealed class TargetForm
{
    public string? Name { get; set; }

    public string? Address { get; set; }

    public int? Port { get; set; }

    /// <summary>"env=prod, team=db".</summary>
    public string? Labels { get; set; }

    /// <summary>"root, deploy".</summary>
    public string? Logins { get; set; }

    public string? HostKey { get; set; }
}

/// <summary>The registered targets, and registering one (through the Authorization API).</summary>
public sealed class TargetsModel(ServiceApis apis) : AdministrationPage(apis)
{
    public IReadOnlyList<TargetRecord> Targets { get; private set; } = [];

    [BindProperty]
    public TargetForm Register { get; set; } = new();

    protected override IReadOnlyDictionary<string, string> Notices { get; } = new Dictionary<string, string> { ["registered"] = "Target registered." };

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var answer = await Apis.GetAsync<List<TargetRecord>>(GatehouseService.Authorization, "api/targets", cancellationToken);
        Targets = answer.Value ?? [];
        Problem = answer.Succeeded ? null : answer.Problem;
    }

    public Task<IActionResult> OnPostRegisterAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.PostAsync<object>(GatehouseService.Authorization, "api/targets", new
        {
            name = Register.Name,
            address = Register.Address,
            port = Register.Port,
            labels = Labels(Register.Labels),
            logins = Items(Register.Logins),
            hostKey = string.IsNullOrWhiteSpace(Register.HostKey) ? null : Register.HostKey,
        }, cancellationToken), "registered", nameof(Register), Register, cancellationToken);
}
