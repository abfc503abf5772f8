using Microsoft.AspNetCore.Routing;

namespace Realtime.Hosting;

/// <summary>
/// An application module (<c>Realtime:Modules</c>, see <see cref="Realtime.Grains.IRealtimeModule"/>)
/// that also maps HTTP endpoints: the shipped hosts that load it (the embedded gateway, the silo host)
/// call <see cref="MapEndpoints"/> after their own, so an application adds an endpoint, a policy or
/// an exporter (its services, in <c>Configure</c>) without writing a host.
/// </summary>
public interface IRealtimeEndpoints
{
    /// <summary>Maps the module's endpoints.</summary>
    void MapEndpoints(IEndpointRouteBuilder endpoints);
}
