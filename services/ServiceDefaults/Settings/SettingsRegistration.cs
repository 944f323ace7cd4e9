using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gatehouse.ServiceDefaults.Settings;

public static class SettingsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/> and refuses it at start (not at first use) when its
    /// data annotations or <paramref name="problems"/> find anything wrong. Further checks chain on the result.
    /// </summary>
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, IConfigurationSection section,
        Func<T, IReadOnlyList<string>>? problems = null) where T : class
    {
        var options = services.AddOptions<T>().Bind(section).ValidateDataAnnotations();
        if (problems is not null)
        {
            options.ValidateProblems(problems);
        }

        return options.ValidateOnStart();
    }
}
