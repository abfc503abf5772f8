namespace Realtime.Gateway.Tests;

/// <summary>
/// The libraries as a team adopts them: packed from this build, restored from a local folder into a
/// fresh project outside the repository (its own packages, no repository settings), which builds; and
/// the client package alone in a net8.0 project.
/// </summary>
public sealed class PackagingTests
{
    private static readonly TimeSpan s_step = TimeSpan.FromMinutes(5);

    private const string Program = """
        using Realtime.Api;
        using Realtime.Client;
        using Realtime.Gateway.Hosting;
        using Realtime.Gateway.HttpApi;
        using Realtime.Grains;
        using Realtime.Hosting;

        var builder = WebApplication.CreateBuilder(args);
        builder.UseOrleans(silo => silo.UseRealtimeHosting(builder.Configuration));
        builder.Services.AddRealtimeGateway(builder.Configuration.GetSection("Realtime"));
        builder.Services.AddRealtimeHandlers(handlers => handlers
            .Map("app", "echo", (string text) => text)
            .MapRaw("/raw", (byte[] bytes) => bytes));
        var app = builder.Build();
        app.MapRealtimePaths();
        app.MapRealtimeApi("/api");
        app.MapRealtimeClientScript();

        await using var client = new RealtimeClient(new RealtimeClientOptions { Uri = new Uri("ws://localhost:5000/ws"), Protocol = RealtimeProtocol.MessagePack });
        IRealtime realtime = app.Services.GetRequiredService<IRealtime>();
        _ = RealtimePush.Binary("app", "bytes", [1, 2, 3]);
        """;

    [Fact]
    public async Task ThePackedLibrariesRestoreIntoAFreshProjectThatBuilds()
    {
        var work = Directory.CreateTempSubdirectory("realtime-pack-");
        try
        {
            // A version of its own, so no package cached from an earlier run stands in for this build's.
            var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
            var feed = Path.Combine(work.FullName, "feed");
            await RunAsync("pack", Path.Combine(RepoPaths.Root, "Grains.sln"), "--no-build", "-c", RepoPaths.Configuration, "-o", feed, $"-p:Version={version}");
            var packed = Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName).Order().ToList();
            string[] ids = ["Abstractions", "Client", "Gateway", "Grains", "Hosting", "Protocol"];
            Assert.Equal(ids.Select(id => $"OrleansRealtime.{id}.{version}.nupkg"), packed);

            var app = Path.Combine(work.FullName, "app");
            Directory.CreateDirectory(app);
            await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);
            await File.WriteAllTextAsync(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk.Web">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <!-- The Redis providers ask for versions of their dependencies the feed may lack. -->
                    <NoWarn>$(NoWarn);NU1603</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="OrleansRealtime.Gateway" Version="{version}" />
                    <PackageReference Include="OrleansRealtime.Hosting" Version="{version}" />
                    <PackageReference Include="OrleansRealtime.Client" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), Program);

            await RunAsync("build", Path.Combine(app, "App.csproj"));

            // The client package on the LTS, alone.
            var lts = Path.Combine(work.FullName, "lts");
            Directory.CreateDirectory(lts);
            File.Copy(Path.Combine(app, "nuget.config"), Path.Combine(lts, "nuget.config"));
            await File.WriteAllTextAsync(Path.Combine(lts, "Lts.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net8.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="OrleansRealtime.Client" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(lts, "Program.cs"), """
                using Realtime.Client;

                await using var client = new RealtimeClient(new RealtimeClientOptions { Uri = new Uri("ws://localhost:5000/ws"), Protocol = RealtimeProtocol.MessagePack });
                using var subscription = client.On<string>("app", "note", async text => await Console.Out.WriteLineAsync(text));
                """);
            await RunAsync("build", Path.Combine(lts, "Lts.csproj"));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> (absolute paths: NuGet finds a project's nuget.config beside it).</summary>
    private static async Task RunAsync(params string[] arguments)
    {
        await using var process = HostProcess.Start("dotnet " + arguments[0], "dotnet", arguments);
        var code = await process.WaitForExitAsync(s_step);
        Assert.True(code == 0, $"dotnet {string.Join(' ', arguments)} failed ({code}):\n{process.Tail(80)}");
    }
}
