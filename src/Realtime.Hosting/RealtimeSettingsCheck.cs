using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Realtime.Hosting;

/// <summary>
/// Warns at start about keys under <c>Realtime:</c> that nothing reads (a typo, or a setting from an
/// older version): a section no layer knows, or a key its options type has no property for.
/// </summary>
public static partial class RealtimeSettingsCheck
{
    /// <summary>
    /// The sections under <c>Realtime</c>, on either side: a gateway's configuration often carries the
    /// silos' sections too (one file for both), which is not a mistake.
    /// </summary>
    private static readonly HashSet<string> s_sections = new(StringComparer.OrdinalIgnoreCase)
    {
        "Gateway", "Auth", "Api", "Rooms", "Clients", "Handlers", "Presence", "Gateways", "Events", "Streams", "Modules", "Telemetry", "Dashboard",
    };

    /// <summary>The warnings for <paramref name="configuration"/>, given the sections bound in this process.</summary>
    public static IReadOnlyList<string> Find(IConfiguration configuration, IEnumerable<RealtimeSettingsSection> bound)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var warnings = new List<string>();
        foreach (var child in configuration.GetSection("Realtime").GetChildren())
        {
            if (!s_sections.Contains(child.Key))
            {
                warnings.Add($"Unknown setting {child.Path}: no part of the server reads it (known: {string.Join(", ", s_sections.Order())}).");
            }
        }

        foreach (var section in bound.DistinctBy(s => (s.Path, s.OptionsType)))
        {
            try
            {
                configuration.GetSection(section.Path).Get(section.OptionsType, options => options.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException exception) when (exception.Message.Contains(nameof(BinderOptions.ErrorOnUnknownConfiguration), StringComparison.Ordinal))
            {
                // "... the following properties were not found on the instance of T: 'A', 'B'", innermost for a nested type.
                var innermost = exception;
                while (innermost.InnerException is InvalidOperationException inner)
                {
                    innermost = inner;
                }

                var names = innermost.Message[(innermost.Message.LastIndexOf(": ", StringComparison.Ordinal) + 2)..];
                warnings.Add($"Unknown setting under {section.Path}: {names} (nothing reads it; a typo?).");
            }
            catch (InvalidOperationException)
            {
                // A value that does not convert is the options validation's to report, at start.
            }
        }

        return warnings;
    }

    /// <summary>Logs every warning <see cref="Find"/> gives for the host's configuration.</summary>
    public static void Warn(IConfiguration configuration, IServiceProvider services, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var warning in Find(configuration, services.GetServices<RealtimeSettingsSection>()))
        {
            LogUnknown(logger, warning);
        }
    }

    [LoggerMessage(EventId = 1905, Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogUnknown(ILogger logger, string warning);
}
