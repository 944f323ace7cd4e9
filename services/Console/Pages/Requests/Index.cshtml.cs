using Gatehouse.ServiceDefaults.Security;
using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Requests;

/// <summary>
/// Just-in-time access: anyone asks for access for themselves and follows their requests; approvers decide the queue.
/// The Authorization service decides every step (its validation messages, its refusal of an approver's own request,
/// which it records as an event): the page passes the person's input through and shows the answer as given.
/// </summary>
public sealed class IndexModel(ServiceApis apis) : PageModel
{
    public const string Path = "api/access-requests";

    [BindProperty]
    public string? Target { get; set; }

    [BindProperty]
    public string? Login { get; set; }

    /// <summary>Minutes; the service says which lengths it accepts.</summary>
    [BindProperty]
    public int? Minutes { get; set; } = 60;

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? DenialReason { get; set; }

    public bool Approver { get; private set; }

    /// <summary>Pending requests of everyone, for approvers.</summary>
    public IReadOnlyList<AccessRequestRecord> Queue { get; private set; } = [];

    /// <summary>The signed-in person's own requests, newest first.</summary>
    public IReadOnlyList<AccessRequestRecord> Own { get; private set; } = [];

    /// <summary>Others' decided requests, newest first, for approvers.</summary>
    public IReadOnlyList<AccessRequestRecord> Decided { get; private set; } = [];

    public string? Problem { get; private set; }

    /// <summary>The request the problem is about, so it is shown next to that request's buttons.</summary>
    public Guid? ProblemAbout { get; private set; }

    public string? Done { get; private set; }

    public string Me => User.Identity!.Name!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Done = Request.Query["done"] is [{ } done] && done is "requested" or "approved" or "denied" ? done : null;
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRequestAsync(CancellationToken cancellationToken)
    {
        TimeSpan? duration = Minutes is { } minutes and > 0 and <= 7 * 24 * 60 ? TimeSpan.FromMinutes(minutes) : null;
        var answer = await apis.PostAsync<AccessRequestRecord>(GatehouseService.Authorization, Path,
            new { target = Target, login = Login, duration, reason = Reason }, cancellationToken);
        return await AnsweredAsync(answer, "requested", null, cancellationToken);
    }

    public async Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken cancellationToken) =>
        await AnsweredAsync(await apis.PostAsync<AccessRequestRecord>(GatehouseService.Authorization, $"{Path}/{id:D}/approve", new { }, cancellationToken),
            "approved", id, cancellationToken);

    public async Task<IActionResult> OnPostDenyAsync(Guid id, CancellationToken cancellationToken) =>
        await AnsweredAsync(await apis.PostAsync<AccessRequestRecord>(GatehouseService.Authorization, $"{Path}/{id:D}/deny", new { reason = DenialReason },
            cancellationToken), "denied", id, cancellationToken);

    /// <summary>Done: back to the list (a reload sends nothing twice). Refused: the page again, with the service's reason and status.</summary>
    private async Task<IActionResult> AnsweredAsync(ApiAnswer<AccessRequestRecord> answer, string done, Guid? about, CancellationToken cancellationToken)
    {
        if (answer.Succeeded)
        {
            return Redirect($"/requests?done={done}");
        }

        await LoadAsync(cancellationToken);
        Problem = answer.Problem;
        ProblemAbout = about;
        Response.StatusCode = (int)answer.Status;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Approver = User.IsInRole(GatehousePolicies.Approver);
        var answer = await apis.GetAsync<List<AccessRequestRecord>>(GatehouseService.Authorization, Path, cancellationToken);
        if (!answer.Succeeded)
        {
            Problem = answer.Problem;
            return;
        }

        var all = answer.Value ?? [];
        Own = all.Where(r => r.UserName == Me).ToList();
        if (Approver)
        {
            Queue = all.Where(r => r.Status == AccessRequestStatus.Pending).OrderBy(r => r.RequestedAt).ToList();
            Decided = all.Where(r => r.Status != AccessRequestStatus.Pending && r.UserName != Me).Take(50).ToList();
        }
    }
}
