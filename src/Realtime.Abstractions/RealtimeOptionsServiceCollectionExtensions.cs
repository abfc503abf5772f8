using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Realtime;

/// <summary>How every realtime layer registers its options: bound from a configuration section, validated at start.</summary>
public static class RealtimeOptionsServiceCollectionExtensions
{
    /// <summary>Binds <typeparamref name="TOptions"/> from <paramref name="section"/> (when given) and validates it with <typeparamref name="TValidator"/> when the host starts.</summary>
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration? section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TOptions>();
        if (section is not null)
        {
            options.Bind(section);
            if (section is IConfigurationSection named)
            {
                services.AddSingleton(new RealtimeSettingsSection(named.Path, typeof(TOptions)));
            }
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services;
    }
}
