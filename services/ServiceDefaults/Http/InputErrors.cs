using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gatehouse.ServiceDefaults.Http;

/// <summary>
/// Collects what is wrong with a request, field by field, for the one 400 every API answers (a ValidationProblem naming
/// each field); nothing is stored while any is. Rules of a service's own vocabulary extend it where they belong.
/// </summary>
public sealed class InputErrors : IReadOnlyDictionary<string, IReadOnlyList<string>>
{
    public const string Title = "The request is invalid; nothing was done";

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public int Count => _errors.Count;

    public IEnumerable<string> Keys => _errors.Keys;

    public IEnumerable<IReadOnlyList<string>> Values => _errors.Values;

    public IReadOnlyList<string> this[string field] => _errors[field];

    public bool ContainsKey(string field) => _errors.ContainsKey(field);

    public bool TryGetValue(string field, [MaybeNullWhen(false)] out IReadOnlyList<string> messages)
    {
        var found = _errors.TryGetValue(field, out var list);
        messages = list;
        return found;
    }

    public IEnumerator<KeyValuePair<string, IReadOnlyList<string>>> GetEnumerator() =>
        _errors.Select(e => KeyValuePair.Create(e.Key, (IReadOnlyList<string>)e.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public ValidationProblem ToResult() =>
        TypedResults.ValidationProblem(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), title: Title);

    /// <summary>The 400 for one field, where that is the only check.</summary>
    public static ValidationProblem Invalid(string field, string message)
    {
        var errors = new InputErrors();
        errors.Add(field, message);
        return errors.ToResult();
    }

    public string Required(string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required");
        }
        else if (value.Length > maxLength)
        {
            Add(field, $"is longer than {maxLength} characters");
        }

        return value?.Trim() ?? "";
    }
}
