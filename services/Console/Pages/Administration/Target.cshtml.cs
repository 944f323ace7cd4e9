using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.WebConsole.Pages.Administration;

public sealed class HostKeyForm
{
    public string? HostKey { get; set; }
}

public sealed class RemovalForm
{
    public string? Reason { get; set; }
}

/// <summary>One target: change its address, labels and logins, re-pin its host key, remove it (through the Authorization API).</summary>
public sealed class TargetModel(ServiceApis apis) : AdministrationPage(apis)
{
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    public TargetRecord? Target { get; private set; }

    [BindProperty]
    public TargetForm Change { get; set; } = new();

    [BindProperty]
    public HostKeyForm Pin { get; set; } = new();

    [BindProperty]
    public RemovalForm Remove { get; set; } = new();

    protected override IReadOnlyDictionary<string, string> Notices { get; } = new Dictionary<string, string>
    {
        ["changed"] = "Target changed.",
        ["pinned"] = "Host key pinned.",
    };

    private string Path => $"api/targets/{Escape(Name)}";

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var answer = await Apis.GetAsync<TargetRecord>(GatehouseService.Authorization, Path, cancellationToken);
        Target = answer.Value;
        Problem = answer.Succeeded ? null : answer.Problem;
        if (Target is not null && HttpMethods.IsGet(Request.Method))
        {
            Change = new TargetForm
            {
                Address = Target.Address, Port = Target.Port, Labels = LabelText(Target.Labels), Logins = string.Join(", ", Target.Logins),
            };
        }
    }

    public Task<IActionResult> OnPostChangeAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.PutAsync<object>(GatehouseService.Authorization, Path, new
        {
            address = Change.Address,
            port = Change.Port,
            labels = Labels(Change.Labels),
            logins = Items(Change.Logins),
        }, cancellationToken), "changed", nameof(Change), Change, cancellationToken);

    public Task<IActionResult> OnPostPinAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.PutAsync<object>(GatehouseService.Authorization, $"{Path}/host-key", new { hostKey = Pin.HostKey }, cancellationToken),
            "pinned", nameof(Pin), Pin, cancellationToken);

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken)
    {
        var answer = await Apis.PostAsync<object>(GatehouseService.Authorization, $"{Path}/remove", new { reason = Remove.Reason }, cancellationToken);
        if (answer.Succeeded)
        {
            return LocalRedirect("/administration/targets");
        }

        ModelState.AddApiProblem(answer, nameof(Remove), Remove);
        await LoadAsync(cancellationToken);
        Response.StatusCode = (int)answer.Status;
        return Page();
    }
}
