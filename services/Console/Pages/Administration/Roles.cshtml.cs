using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.WebConsole.Pages.Administration;

public sealed record RoleRecord(string Name, string Description, IReadOnlyList<string> Members, DateTimeOffset DefinedAt, string DefinedBy);

public sealed class DefineRoleForm
{
    public string? Name { get; set; }

    public string? Description { get; set; }
}

public sealed class MemberForm
{
    public string? Role { get; set; }

    public string? User { get; set; }
}

/// <summary>Access roles (groups of users that grants and command policies name): defining one, adding and removing members.</summary>
public sealed class RolesModel(ServiceApis apis) : AdministrationPage(apis)
{
    public IReadOnlyList<RoleRecord> Roles { get; private set; } = [];

    [BindProperty]
    public DefineRoleForm Define { get; set; } = new();

    [BindProperty]
    public MemberForm Member { get; set; } = new();

    protected override IReadOnlyDictionary<string, string> Notices { get; } = new Dictionary<string, string>
    {
        ["defined"] = "Role defined.",
        ["member-added"] = "Member added.",
        ["member-removed"] = "Member removed.",
    };

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var answer = await Apis.GetAsync<List<RoleRecord>>(GatehouseService.Authorization, "api/roles", cancellationToken);
        Roles = answer.Value ?? [];
        Problem = answer.Succeeded ? null : answer.Problem;
    }

    public Task<IActionResult> OnPostDefineAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.PostAsync<object>(GatehouseService.Authorization, "api/roles", new { name = Define.Name, description = Define.Description },
            cancellationToken), "defined", nameof(Define), Define, cancellationToken);

    public Task<IActionResult> OnPostAddMemberAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.PutAsync<object>(GatehouseService.Authorization, MemberPath, new { }, cancellationToken), "member-added", nameof(Member),
            Member, cancellationToken);

    public Task<IActionResult> OnPostRemoveMemberAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.DeleteAsync<object>(GatehouseService.Authorization, MemberPath, cancellationToken), "member-removed", nameof(Member),
            Member, cancellationToken);

    // An empty user still reaches the service (as a blank segment it would not route), which names the field it misses.
    private string MemberPath => $"api/roles/{Escape(Member.Role ?? "")}/members/{Escape(string.IsNullOrWhiteSpace(Member.User) ? " " : Member.User)}";
}
