using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Gatehouse.WebConsole.Calling;

/// <summary>
/// A refused call shown on the form that made it, in the API's own words: each field's reason next to the form field of
/// that name (the API's camelCase name, in the form's PascalCase under its prefix), anything else as the form's message.
/// The console validates nothing itself, so a page says exactly what the CLI would.
/// </summary>
public static class ApiProblems
{
    public static void AddApiProblem<T>(this ModelStateDictionary state, ApiAnswer<T> answer, string prefix, object form)
    {
        if (answer.FieldErrors is not { Count: > 0 } errors)
        {
            state.AddModelError(prefix, answer.Problem ?? $"Refused ({(int)answer.Status}).");
            return;
        }

        foreach (var (field, messages) in errors)
        {
            var property = field.Length == 0 ? null : char.ToUpperInvariant(field[0]) + field[1..];
            var shown = property is not null && form.GetType().GetProperty(property) is not null;
            foreach (var message in messages)
            {
                state.AddModelError(shown ? $"{prefix}.{property}" : prefix, shown ? message : $"{field}: {message}");
            }
        }
    }
}
