using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Realtime;

/// <summary>
/// The clock realtime code reads (history age, leases, token expiry): a <see cref="TimeProvider"/>
/// registered under <see cref="Key"/>, so a test can move it without moving the clock Orleans itself
/// runs on (its health checks read the unkeyed one).
/// </summary>
public static class RealtimeClock
{
    /// <summary>The service key of the realtime clock.</summary>
    public const string Key = "realtime";

    /// <summary>Registers the system clock as the realtime clock unless one is registered already.</summary>
    public static IServiceCollection AddRealtimeClock(this IServiceCollection services)
    {
        services.TryAddKeyedSingleton(Key, TimeProvider.System);
        return services;
    }
}
