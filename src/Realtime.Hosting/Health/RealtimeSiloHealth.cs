using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Realtime.Hosting.Health;

/// <summary>
/// A silo's health over HTTP: <c>/live</c> while the process runs, <c>/ready</c> while this silo is an
/// active member of its cluster (not joining, not shutting down), and the bare prefix as the summary
/// (the silo, its status, the active silos it sees). Ready answers 200, anything else 503.
/// </summary>
public static class RealtimeSiloHealth
{
    /// <summary>Maps <paramref name="prefix"/>, <c>{prefix}/live</c> and <c>{prefix}/ready</c> on a host that runs a silo.</summary>
    public static IEndpointConventionBuilder MapRealtimeSiloHealth(this IEndpointRouteBuilder endpoints, string prefix = "/health")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(prefix);
        group.MapGet("/live", () => Results.Json(new { status = "Healthy" }));
        group.MapGet("/ready", Report);
        group.MapGet("/", Report);
        return group;
    }

    private static IResult Report(ILocalSiloDetails silo, IClusterMembershipService membership, IHostApplicationLifetime lifetime)
    {
        var snapshot = membership.CurrentSnapshot;
        var status = snapshot.GetSiloStatus(silo.SiloAddress);
        var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
        var ready = status == SiloStatus.Active && !stopping;
        var reason = ready ? "An active member of the cluster."
            : stopping || status is SiloStatus.ShuttingDown or SiloStatus.Stopping ? "Shutting down."
            : status == SiloStatus.Dead ? "Declared dead by the cluster."
            : "Joining the cluster.";
        return Results.Json(
            new
            {
                status = ready ? "Healthy" : "Unhealthy",
                reason,
                silo = silo.SiloAddress.ToString(),
                siloStatus = status.ToString(),
                activeSilos = snapshot.Members.Count(m => m.Value.Status == SiloStatus.Active),
            },
            statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
