using Microsoft.Extensions.Diagnostics.HealthChecks;
using Realtime.Gateway.Cluster;
using Realtime.Gateway.Connections;
using Realtime.Gateway.Delivery;

namespace Realtime.Gateway.Hosting;

/// <summary>Whether the gateway reaches its cluster and takes connections, with its local figures.</summary>
internal sealed class GatewayHealthCheck(
    IGatewayCluster cluster,
    GatewayIdentity gateway,
    GatewayState state,
    ConnectionTable connections,
    LocalRooms rooms) : IHealthCheck
{
    private static readonly TimeSpan s_clusterTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["gatewayId"] = gateway.Id,
            ["connections"] = connections.Count,
            ["rooms"] = rooms.Count,
            ["accepting"] = state.Accepting,
        };
        if (!state.Accepting && state.Waiting is { } waiting)
        {
            // Still starting: asking the cluster now would only add the placement's retries to the log.
            data["cluster"] = "waiting";
            return HealthCheckResult.Unhealthy(waiting, null, data);
        }

        try
        {
            var gateways = await cluster.CountGatewaysAsync(cancellationToken).WaitAsync(s_clusterTimeout, cancellationToken);
            data["cluster"] = "connected";
            data["gateways"] = gateways;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            data["cluster"] = "unreachable";
            return HealthCheckResult.Unhealthy(state.Waiting ?? "The cluster does not answer.", exception, data);
        }

        return state.Accepting
            ? HealthCheckResult.Healthy("Connected to the cluster and accepting connections.", data)
            : HealthCheckResult.Degraded(state.Waiting ?? "Not accepting connections (starting or stopping).", null, data);
    }
}
