using System.Collections.Frozen;

namespace Gatehouse.Contracts;

/// <summary>Every concrete access event type, so stores and consumers can register them all at once.</summary>
public static class AccessEventTypes
{
    public static IReadOnlyList<Type> All { get; } = typeof(IAccessEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IAccessEvent).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    private static readonly FrozenDictionary<string, Type> ByName =
        All.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>Finds an access event type by its short name, e.g. "LoginFailed".</summary>
    public static Type? Find(string name) => ByName.GetValueOrDefault(name);
}
