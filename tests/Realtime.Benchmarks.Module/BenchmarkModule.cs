using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Grains;

namespace Realtime.Benchmarks.Module;

/// <summary><c>bench/echo</c>: a handler that answers with what it was given, through the connection's client grain.</summary>
public sealed class BenchmarkModule : IRealtimeModule
{
    public void Configure(IServiceCollection services, IConfiguration configuration)
        => services.AddRealtimeHandlers(handlers => handlers.Map("bench", "echo", (JsonElement data) => data));
}
