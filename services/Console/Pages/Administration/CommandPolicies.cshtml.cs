using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.WebConsole.Pages.Administration;

public sealed record CommandPolicyRecord(string Name, string Pattern, string PatternKind, string Action, IReadOnlyDictionary<string, string> TargetLabels,
    IReadOnlyList<string> Roles, IReadOnlyList<string>? ApiRoles, DateTimeOffset ChangedAt, string ChangedBy);

public sealed class CommandPolicyForm
{
    public string? Name { get; set; }

    public string? Pattern { get; set; }

    public string PatternKind { get; set; } = "Glob";

    public string? Action { get; set; }

    public string? TargetLabels { get; set; }

    /// <summary>Access roles, comma separated.</summary>
    public string? Roles { get; set; }

    /// <summary>API roles, comma separated.</summary>
    public string? ApiRoles { get; set; }
}

public sealed class PolicyNameForm
{
    public string? Name { get; set; }
}

/// <summary>Command policies (which commands are blocked or alerted on, for whom, where): setting and removing one.</summary>
public sealed class CommandPoliciesModel(ServiceApis apis) : AdministrationPage(apis)
{
    public IReadOnlyList<CommandPolicyRecord> Policies { get; private set; } = [];

    [BindProperty]
    public CommandPolicyForm Set { get; set; } = new();

    [BindProperty]
    public PolicyNameForm Remove { get; set; } = new();

    protected override IReadOnlyDictionary<string, string> Notices { get; } = new Dictionary<string, string>
    {
        ["set"] = "Command policy saved.",
        ["removed"] = "Command policy removed.",
    };

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var answer = await Apis.GetAsync<List<CommandPolicyRecord>>(GatehouseService.Authorization, "api/command-policies", cancellationToken);
        Policies = answer.Value ?? [];
        Problem = answer.Succeeded ? null : answer.Problem;
    }

    public Task<IActionResult> OnPostSetAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.PutAsync<object>(GatehouseService.Authorization, $"api/command-policies/{Escape(Name(Set.Name))}", new
        {
            pattern = Set.Pattern,
            patternKind = Set.PatternKind,
            action = string.IsNullOrWhiteSpace(Set.Action) ? null : Set.Action,
            targetLabels = Labels(Set.TargetLabels),
            roles = Items(Set.Roles),
            apiRoles = Items(Set.ApiRoles),
        }, cancellationToken), "set", nameof(Set), Set, cancellationToken);

    public Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.DeleteAsync<object>(GatehouseService.Authorization, $"api/command-policies/{Escape(Name(Remove.Name))}", cancellationToken),
            "removed", nameof(Remove), Remove, cancellationToken);

    // A blank name still reaches the service (a blank segment would not route), which says what is wrong with it.
    private static string Name(string? name) => string.IsNullOrWhiteSpace(name) ? " " : name;
}
