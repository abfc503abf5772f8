using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Dashboard;
using Realtime.Api;

namespace Realtime.Hosting.Telemetry;

/// <summary>
/// The Orleans Dashboard at <c>/dashboard</c>: on by default in the embedded default (no Redis), by
/// <c>Realtime:Dashboard:Enabled</c> in a cluster, on the silo hosts and the gateways. When the HTTP API has a key
/// (<c>Realtime:Api:Key</c>), the dashboard asks for it: in <c>X-Api-Key</c>, or as the password of
/// HTTP Basic authentication (any user name), which a browser prompts for.
/// </summary>
public static class RealtimeDashboard
{
    /// <summary>The setting that turns the dashboard on or off.</summary>
    public const string EnabledSetting = "Realtime:Dashboard:Enabled";

    /// <summary>The realm a browser shows when it asks for the dashboard's credentials.</summary>
    public const string Realm = "realtime";

    /// <summary>Whether the dashboard runs: <see cref="EnabledSetting"/>, by default only without Redis.</summary>
    public static bool Enabled(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetValue<bool?>(EnabledSetting) ?? !RealtimeClusterOptions.From(configuration).UsesRedis;
    }

    /// <summary>Adds the dashboard's silo services when <see cref="Enabled"/>.</summary>
    public static ISiloBuilder AddRealtimeDashboard(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (!Enabled(configuration))
        {
            return silo;
        }

        silo.Services.AddSingleton<DashboardAdded>();
        return silo.AddDashboard();
    }

    /// <summary>
    /// Adds the dashboard to a gateway that is only a client of the cluster, when <see cref="Enabled"/>:
    /// it shows what the silos collect, so they must have it on too (the same setting).
    /// </summary>
    public static IClientBuilder AddRealtimeDashboard(this IClientBuilder client, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!Enabled(configuration))
        {
            return client;
        }

        client.Services.AddSingleton<DashboardAdded>();
        return client.AddDashboard();
    }

    /// <summary>
    /// Serves the dashboard at <paramref name="path"/> when the host added it (<c>AddRealtimeDashboard</c>). <paramref name="guard"/>, when
    /// given, decides who may open it (a gateway passes the HTTP API's own check, which also takes its
    /// tokens); without one, it is behind the API key when there is one.
    /// </summary>
    public static WebApplication MapRealtimeDashboard(this WebApplication app, string path = "/dashboard", Func<HttpContext, RequestDelegate, Task>? guard = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetService<DashboardAdded>() is null)
        {
            return app;
        }

        if (guard is not null)
        {
            app.UseWhen(context => context.Request.Path.StartsWithSegments(path), branch => branch.Use(guard));
        }
        else if (app.Configuration["Realtime:Api:Key"] is { Length: > 0 } key)
        {
            app.UseWhen(context => context.Request.Path.StartsWithSegments(path), branch => branch.Use(async (context, next) =>
            {
                if (Presented(context.Request) is { } presented && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key)))
                {
                    await next(context);
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = BasicCredentials.Challenge(Realm);
            }));
        }

        app.MapOrleansDashboard(routePrefix: path);
        return app;
    }

    /// <summary>The key in <c>X-Api-Key</c>, or the password of <c>Authorization: Basic</c>.</summary>
    private static string? Presented(HttpRequest request)
        => request.Headers.TryGetValue("X-Api-Key", out var header) ? header.ToString() : BasicCredentials.PasswordOf(request.Headers.Authorization.ToString());
}

/// <summary>Marks a host that added the dashboard's services, so it serves the dashboard's pages.</summary>
internal sealed class DashboardAdded;
