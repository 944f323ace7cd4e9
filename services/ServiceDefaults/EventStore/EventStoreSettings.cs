using System.ComponentModel.DataAnnotations;

namespace Gatehouse.ServiceDefaults.EventStore;

/// <summary>Where a service keeps its events: <c>ConnectionStrings:Postgres</c> plus <c>Gatehouse:EventStore</c>.</summary>
public sealed class EventStoreSettings
{
    public const string Section = "Gatehouse:EventStore";

    /// <summary>
    /// The service's own PostgreSQL schema; nothing else reads or writes it. Marten does not quote schema names,
    /// so a reserved word ("authorization", "user", ...) would break its SQL: the Authorization service uses "authz".
    /// </summary>
    [Required, RegularExpression("^[a-z_][a-z0-9_]{0,62}$", ErrorMessage = "Schema must be a lower-case PostgreSQL identifier")]
    public string Schema { get; set; } = "";

    // The reserved words a Gatehouse schema is likely to be named after; PostgreSQL has more.
    private static readonly HashSet<string> ReservedWords = ["authorization", "user", "session_user", "current_user", "table", "order", "group", "grant", "select", "default"];

    public static bool IsReservedWord(string schema) => ReservedWords.Contains(schema);

    /// <summary>Set from the environment (<c>Gatehouse__EventStore__Password</c>) so the connection string carries no secret.</summary>
    public string? Password { get; set; }
}
