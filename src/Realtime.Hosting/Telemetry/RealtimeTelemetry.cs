using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Realtime.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry for the shipped hosts: the realtime meters with Orleans', ASP.NET Core's and the
/// runtime's, scraped in Prometheus format at <c>/metrics</c>; with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// set (read as the OpenTelemetry SDK reads it, with the other <c>OTEL_*</c> variables), metrics,
/// traces and logs are also pushed over OTLP.
/// </summary>
public static class RealtimeTelemetry
{
    /// <summary>The setting that turns OTLP export (and tracing) on.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Turns metrics off (false): no meter is listened to, <c>/metrics</c> is not served.</summary>
    public const string MetricsSetting = "Realtime:Telemetry:Metrics";

    /// <summary>Leaves Orleans' own meter out (false): it records on every message once listened to.</summary>
    public const string OrleansMetricsSetting = "Realtime:Telemetry:OrleansMetrics";

    /// <summary>Turns tracing on or off (true or false); by default it is on when OTLP export is.</summary>
    public const string TracingSetting = "Realtime:Telemetry:Tracing";

    /// <summary>The meters exported: the realtime ones (<c>Realtime.Gateway</c>, <c>Realtime.Grains</c>), Orleans', ASP.NET Core's and the runtime's.</summary>
    public static IReadOnlyList<string> Meters { get; } =
    [
        "Realtime.*",
        "Microsoft.Orleans",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Runtime",
    ];

    /// <summary>The activity sources traced: the realtime ones, Orleans' grain calls (with propagation across hops) and ASP.NET Core's requests.</summary>
    public static IReadOnlyList<string> Sources { get; } =
    [
        "Realtime.*",
        "Microsoft.Orleans.Runtime",
        "Microsoft.Orleans.Application",
        "Microsoft.AspNetCore",
    ];

    /// <summary>
    /// Whether spans are recorded and grain calls carry trace context (<see cref="TracingSetting"/>):
    /// off by default without an OTLP endpoint, since every grain call would pay for spans nobody reads.
    /// </summary>
    public static bool TracingEnabled(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetValue<bool?>(TracingSetting) ?? !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);
    }

    /// <summary>
    /// Registers OpenTelemetry for <paramref name="serviceName"/> (unless <c>OTEL_SERVICE_NAME</c> names
    /// it): metrics always (Prometheus, and OTLP when configured), traces when <see cref="TracingEnabled"/>,
    /// and metrics, traces and logs over OTLP when <see cref="OtlpEndpointSetting"/> is set.
    /// </summary>
    public static IHostApplicationBuilder AddRealtimeTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var telemetry = builder.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(serviceName);
                }
            });
        if (configuration.GetValue(MetricsSetting, true))
        {
            var orleans = configuration.GetValue(OrleansMetricsSetting, true);
            telemetry.WithMetrics(metrics => metrics.AddMeter([.. Meters.Where(m => orleans || m != "Microsoft.Orleans")]).AddPrometheusExporter());
        }

        if (TracingEnabled(builder.Configuration))
        {
            telemetry.WithTracing(tracing => tracing.AddSource([.. Sources]));
        }

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Serves the metrics in Prometheus text format at <paramref name="pattern"/> (needs <see cref="AddRealtimeTelemetry"/>).</summary>
    public static IEndpointRouteBuilder MapRealtimeMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<MeterProvider>() is not null)
        {
            endpoints.MapPrometheusScrapingEndpoint(pattern);
        }

        return endpoints;
    }
}
