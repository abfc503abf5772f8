using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Realtime.Grains;

/// <summary>
/// Application code for the shipped silo host: handlers, subscribers, hooks, authorizers, grains.
/// A public class implementing this in an assembly named in <c>Realtime:Modules</c> is created once
/// and asked to register its services.
/// </summary>
public interface IRealtimeModule
{
    /// <summary>Registers the module's services (<c>AddRealtimeHandlers</c>, <c>AddRealtimeSubscribers</c>, ...).</summary>
    void Configure(IServiceCollection services, IConfiguration configuration);
}
