using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gatehouse.ServiceDefaults.Settings;

public static class SettingsValidation
{
    /// <summary>
    /// Refuses the settings with every problem <paramref name="problems"/> finds (each naming its key), not just the
    /// first: an operator fixing a configuration sees all that is wrong at once.
    /// </summary>
    public static OptionsBuilder<T> ValidateProblems<T>(this OptionsBuilder<T> builder, Func<T, IReadOnlyList<string>> problems)
        where T : class
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(new Validation<T>(builder.Name, problems));
        return builder;
    }

    private sealed class Validation<T>(string name, Func<T, IReadOnlyList<string>> problems) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options) =>
            optionsName != name ? ValidateOptionsResult.Skip
            : problems(options) is { Count: > 0 } found ? ValidateOptionsResult.Fail(found)
            : ValidateOptionsResult.Success;
    }
}
