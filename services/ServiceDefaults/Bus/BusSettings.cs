using System.ComponentModel.DataAnnotations;

namespace Gatehouse.ServiceDefaults.Bus;

/// <summary>The RabbitMQ connection, from <c>Gatehouse:Bus</c>; each service connects as its own user.</summary>
public sealed class BusSettings
{
    public const string Section = "Gatehouse:Bus";

    [Required]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public ushort Port { get; set; } = 5672;

    [Required]
    public string VirtualHost { get; set; } = "gatehouse";

    [Required]
    public string Username { get; set; } = "";

    /// <summary>Set from the environment (<c>Gatehouse__Bus__Password</c>), never in appsettings.</summary>
    [Required]
    public string Password { get; set; } = "";
}
