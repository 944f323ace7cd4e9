using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Administration;

/// <summary>
/// What every administration page does the same way: loads what it shows from the owning service, sends each change to
/// that service with the person's token (the service decides, validates and records it), and after a change either
/// shows the page again with a fixed notice or the form with the service's reasons next to its fields.
/// </summary>
public abstract class AdministrationPage(ServiceApis apis) : PageModel
{
    protected ServiceApis Apis { get; } = apis;

    /// <summary>Why the page could not load what it shows, as the service said.</summary>
    public string? Problem { get; protected set; }

    /// <summary>What the last change did; only the page's own fixed texts, never text from the address bar.</summary>
    public string? Notice { get; private set; }

    /// <summary>The notices a page may show after a change, by the key its redirect carries.</summary>
    protected abstract IReadOnlyDictionary<string, string> Notices { get; }

    /// <summary>Loads what the page shows; a failed load sets <see cref="Problem"/>.</summary>
    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Notice = Request.Query["done"] is [{ } done] && Notices.TryGetValue(done, out var text) ? text : null;
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Sends one change: on success back to the page with the notice, else the page again with the reasons on the form.</summary>
    protected async Task<IActionResult> ChangeAsync<T>(Task<ApiAnswer<T>> call, string done, string prefix, object form,
        CancellationToken cancellationToken)
    {
        var answer = await call;
        if (answer.Succeeded)
        {
            return LocalRedirect($"{Request.PathBase}{Request.Path}?done={done}");
        }

        ModelState.AddApiProblem(answer, prefix, form);
        await LoadAsync(cancellationToken);
        Response.StatusCode = (int)answer.Status;
        return Page();
    }

    /// <summary>A list typed into one field, "a, b c": the items as given, for the service to judge.</summary>
    public static string[] Items(string? text) =>
        (text ?? "").Split([',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Labels typed as "env=prod, team=db"; an item without '=' is passed on with an empty value for the service to refuse.</summary>
    public static Dictionary<string, string> Labels(string? text) =>
        Items(text).Select(item => item.Split('=', 2)).GroupBy(pair => pair[0])
            .ToDictionary(group => group.Key, group => group.Last() is [_, var value] ? value : "");

    public static string LabelText(IReadOnlyDictionary<string, string> labels) => string.Join(", ", labels.Select(l => $"{l.Key}={l.Value}"));

    protected static string Escape(string segment) => Uri.EscapeDataString(segment);
}
