using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Realtime.Gateway.Connections;

namespace Realtime.Gateway.Hosting;

/// <summary>The gateway's endpoints.</summary>
public static class RealtimeEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps a WebSocket endpoint speaking PROTOCOL.md v1 (or, for a path of
    /// <see cref="RealtimeGatewayOptions.RawEndpoints"/>, raw messages); call it once per path (<c>/ws</c>, <c>/ws/chat</c>...).
    /// </summary>
    public static IEndpointConventionBuilder MapRealtime(this IEndpointRouteBuilder endpoints, string pattern = "/ws")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var handler = endpoints.ServiceProvider.GetRequiredService<ConnectionHandler>();
        return endpoints.Map(pattern, handler.HandleAsync);
    }

    /// <summary>
    /// The gateway's health: <paramref name="pattern"/> is the summary (200 when it reaches its cluster,
    /// 503 when the cluster does not answer; JSON with the gateway's figures), <c>{pattern}/live</c> answers
    /// 200 while the process runs, and <c>{pattern}/ready</c> 200 only while it takes connections (cluster
    /// reachable, lease held, not starting or draining), else 503 with the reason.
    /// </summary>
    public static IEndpointConventionBuilder MapRealtimeHealth(this IEndpointRouteBuilder endpoints, string pattern = "/health")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var prefix = pattern.TrimEnd('/');
        endpoints.MapHealthChecks(prefix + "/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth });
        endpoints.MapHealthChecks(prefix + "/ready", new HealthCheckOptions
        {
            ResponseWriter = WriteHealth,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return endpoints.MapHealthChecks(pattern, new HealthCheckOptions { ResponseWriter = WriteHealth });
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(body));
    }

    /// <summary>Maps every path of <see cref="RealtimeGatewayOptions.Paths"/> and <see cref="RealtimeGatewayOptions.RawEndpoints"/>.</summary>
    public static void MapRealtimePaths(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<RealtimeGatewayOptions>>().Value;
        foreach (var path in options.EffectivePaths.Concat(options.RawEndpoints.Keys))
        {
            endpoints.MapRealtime(path);
        }
    }

    /// <summary>Serves the one-page demo chat at <paramref name="pattern"/> (it imports <c>/realtime.js</c>: map <see cref="MapRealtimeClientScript"/> too).</summary>
    public static IEndpointConventionBuilder MapRealtimeDemo(this IEndpointRouteBuilder endpoints, string pattern = "/")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return MapResource(endpoints, pattern, "wwwroot/index.html", "text/html; charset=utf-8");
    }

    /// <summary>
    /// Serves the browser client: <c>/realtime.js</c> (an ES module), <c>/realtime.d.ts</c> (its
    /// TypeScript declarations), and the MessagePack codec it imports for <c>protocol: 'msgpack'</c>
    /// (<c>/realtime-msgpack.js</c> and @msgpack/msgpack's modules under <c>/realtime-msgpack/</c>),
    /// revalidated by ETag so a new gateway version reaches browsers at once.
    /// </summary>
    public static IEndpointConventionBuilder MapRealtimeClientScript(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(prefix);
        const string JavaScript = "text/javascript; charset=utf-8";
        MapResource(group, "/realtime.js", "wwwroot/realtime.js", JavaScript);
        MapResource(group, "/realtime.d.ts", "wwwroot/realtime.d.ts", "application/typescript; charset=utf-8");
        MapResource(group, "/realtime-msgpack.js", "wwwroot/realtime-msgpack.js", JavaScript);
        foreach (var module in typeof(RealtimeEndpointRouteBuilderExtensions).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("wwwroot/realtime-msgpack/", StringComparison.Ordinal)))
        {
            MapResource(group, module["wwwroot".Length..], module, module.EndsWith(".mjs", StringComparison.Ordinal) ? JavaScript : "text/plain; charset=utf-8");
        }

        return group;
    }

    private static RouteHandlerBuilder MapResource(IEndpointRouteBuilder endpoints, string pattern, string resource, string contentType)
    {
        var body = ReadResource(resource);
        var etag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body))[..16]}\"");
        return endpoints.MapGet(pattern, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(body, contentType, entityTag: etag);
        });
    }

    private static byte[] ReadResource(string name)
    {
        using var stream = typeof(RealtimeEndpointRouteBuilderExtensions).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Missing embedded resource {name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
