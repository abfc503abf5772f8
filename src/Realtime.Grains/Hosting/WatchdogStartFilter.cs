using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Realtime.Grains;

/// <summary>
/// Orleans' watchdog starts its platform thread before it stamps the time of its first participant
/// check, so its first look often finds "not completed for" the machine's whole uptime and warns
/// (<c>Orleans.Runtime.Watchdog</c>[100150], at every start). Its warnings are let through once the
/// silo is active; before that (a few hundred milliseconds) only its errors are.
/// </summary>
internal static class WatchdogStartFilter
{
    private const string Category = "Orleans.Runtime.Watchdog";

    public static IServiceCollection AddWatchdogStartFilter(this IServiceCollection services)
    {
        services.AddOptions<LoggerFilterOptions>().Configure<LocalSiloStartup>((options, startup) =>
            options.Rules.Add(new LoggerFilterRule(null, Category, null, (_, _, level) =>
                level >= LogLevel.Error || (level == LogLevel.Warning && startup.Active.IsCompleted))));
        return services;
    }
}
