using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Dashboard;

namespace Realtime.Hosting.Telemetry;

/// <summary>
/// The Orleans Dashboard at <c>/dashboard</c> on a host that runs a silo: on by default in the embedded
/// default (no Redis), by <c>Realtime:Dashboard:Enabled</c> in a cluster. When the HTTP API has a key
/// (<c>Realtime:Api:Key</c>), the dashboard asks for it: in <c>X-Api-Key</c>, or as the password of
/// HTTP Basic authentication (any user name), which a browser prompts for.
/// </summary>
public static class RealtimeDashboard
{
    /// <summary>The setting that turns the dashboard on or off.</summary>
    public const string EnabledSetting = "Realtime:Dashboard:Enabled";

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
        return Enabled(configuration) ? silo.AddDashboard() : silo;
    }

    /// <summary>
    /// Serves the dashboard at <paramref name="path"/> when <see cref="Enabled"/> and this host runs a
    /// silo (a gateway that is only a client of the cluster has none), behind the API key when there is one.
    /// </summary>
    public static WebApplication MapRealtimeDashboard(this WebApplication app, string path = "/dashboard")
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!Enabled(app.Configuration) || app.Services.GetService<ILocalSiloDetails>() is null)
        {
            return app;
        }

        if (app.Configuration["Realtime:Api:Key"] is { Length: > 0 } key)
        {
            app.UseWhen(context => context.Request.Path.StartsWithSegments(path), branch => branch.Use(async (context, next) =>
            {
                if (Presented(context.Request) is { } presented && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key)))
                {
                    await next(context);
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"realtime dashboard\", charset=\"UTF-8\"";
            }));
        }

        app.MapOrleansDashboard(routePrefix: path);
        return app;
    }

    /// <summary>The key in <c>X-Api-Key</c>, or the password of <c>Authorization: Basic</c>.</summary>
    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Api-Key", out var header))
        {
            return header.ToString();
        }

        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : pair[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
