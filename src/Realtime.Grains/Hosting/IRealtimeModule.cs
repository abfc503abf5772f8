using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Realtime.Grains;

/// <summary>
/// Application code for the shipped hosts: handlers, subscribers, hooks, authorizers, grains, and
/// whatever services the host should have (an exporter, an ASP.NET Core policy). A public class
/// implementing this in an assembly named in <c>Realtime:Modules</c> is created once per host and asked
/// to register its services: on the silo host and the embedded gateway, and on a gateway in a cluster,
/// where only its gateway-side services matter (the silos run its handlers and subscribers).
/// </summary>
public interface IRealtimeModule
{
    /// <summary>Registers the module's services (<c>AddRealtimeHandlers</c>, <c>AddRealtimeSubscribers</c>, ...).</summary>
    void Configure(IServiceCollection services, IConfiguration configuration);
}
