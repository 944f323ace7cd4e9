using Gatehouse.ServiceDefaults.Settings;
using Microsoft.Extensions.Options;

namespace Gatehouse.Audit.Detection.Sigma;

/// <summary>Where Sigma rules come from: <c>Gatehouse:Audit:Detection:Sigma</c>.</summary>
public sealed class SigmaSettings
{
    public const string Section = "Gatehouse:Audit:Detection:Sigma";

    /// <summary>The folder the shipped rules are copied to next to the service.</summary>
    public const string ShippedFolder = "sigma";

    /// <summary>
    /// The operators' rule folder (read with its subfolders), absolute or relative to the state folder. Unset, the state
    /// folder's <c>sigma</c> subfolder is read when it exists; set, it must exist.
    /// </summary>
    public string? RulesFolder { get; set; }

    /// <summary>Whether the rules shipped with Gatehouse (next to the service, in <see cref="ShippedFolder"/>) are loaded too.</summary>
    public bool ShippedRules { get; set; } = true;

    public IReadOnlyList<string> Folders(StatePaths state)
    {
        var folders = new List<string>();
        if (ShippedRules)
        {
            folders.Add(Path.Combine(AppContext.BaseDirectory, ShippedFolder));
        }

        var configured = state.Resolve(RulesFolder ?? ShippedFolder);
        if (RulesFolder is not null || Directory.Exists(configured))
        {
            folders.Add(configured);
        }

        return folders;
    }
}

public static class SigmaRulesRegistration
{
    public static IServiceCollection AddSigmaRules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<SigmaSettings>(configuration.GetSection(SigmaSettings.Section));
        services.AddSingleton(sp =>
        {
            var folders = sp.GetRequiredService<IOptions<SigmaSettings>>().Value.Folders(sp.GetRequiredService<StatePaths>());
            var logger = sp.GetRequiredService<ILogger<SigmaRuleSet>>();
            try
            {
                if (folders.FirstOrDefault(folder => !Directory.Exists(folder)) is { } missing)
                {
                    throw new SigmaRulesRefused([$"{missing}: the Sigma rule folder does not exist ({SigmaSettings.Section})"]);
                }

                var rules = SigmaRuleSet.Load(folders);
                logger.LogInformation("Loaded {Count} Sigma rules from {Folders}", rules.Rules.Count, string.Join(", ", folders));
                return rules;
            }
            catch (SigmaRulesRefused refused)
            {
                logger.LogCritical("{Problems}", refused.Message);
                throw;
            }
        });
        // Before the daemon that evaluates them: a rule that cannot be evaluated stops the service here, not in the daemon.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, SigmaRulesCheck>());
        return services;
    }

    /// <summary>Loads the rules when the service starts, whoever needs them first.</summary>
    private sealed class SigmaRulesCheck(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<SigmaRuleSet>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
