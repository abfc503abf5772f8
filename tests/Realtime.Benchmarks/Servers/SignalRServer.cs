using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Realtime.Benchmarks.Servers;

/// <summary>
/// An ASP.NET Core SignalR hub with groups as rooms, JSON protocol: in one process (no backplane), or
/// on the Redis backplane (<c>Microsoft.AspNetCore.SignalR.StackExchangeRedis</c>), the split deployment's peer.
/// </summary>
internal static class SignalRServer
{
    public static async Task RunAsync(string urls, string? redis = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        var signalR = builder.Services.AddSignalR();
        if (redis is not null)
        {
            signalR.AddStackExchangeRedis(redis);
        }

        var app = builder.Build();
        app.MapHub<BenchHub>("/hub");
        await app.StartAsync();
        Console.WriteLine(redis is null ? "signalr ready" : "signalr-redis ready");
        await app.WaitForShutdownAsync();
    }
}

/// <summary>Join a group, publish to the others in it, ping, echo.</summary>
internal sealed class BenchHub : Hub
{
    private static long s_seq;

    public async Task<long> Join(string room)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, room);
        return 0;
    }

    public async Task<long> Publish(string room, JsonElement data)
    {
        await Clients.OthersInGroup(room).SendAsync("m", data);
        return Interlocked.Increment(ref s_seq);
    }

    public JsonElement? Ping(JsonElement? data) => data;

    public JsonElement? Echo(JsonElement? data) => data;
}
