namespace Realtime.Browser.Tests;

/// <summary>
/// The browser client as a team adopts it: <c>npm pack</c> of src/Realtime.Browser, installed from
/// the tarball into a fresh project outside the repository (npm fetches its dependency from the
/// registry), with TypeScript beside it to check the declarations against.
/// </summary>
public sealed class NpmPackage : IAsyncLifetime
{
    private static readonly TimeSpan s_step = TimeSpan.FromMinutes(5);

    /// <summary>A TypeScript the type check runs with: the last of the JavaScript implementation.</summary>
    private const string TypeScript = "typescript@5.9.3";

    private DirectoryInfo _work = null!;

    public static string Source { get; } = Path.Combine(RepoPaths.Root, "src", "Realtime.Browser");

    /// <summary>The packed tarball.</summary>
    public string Tarball { get; private set; } = "";

    /// <summary>The consuming project: its package.json, node_modules, and whatever a test writes there.</summary>
    public string Consumer { get; private set; } = "";

    public string Installed(params string[] path) => Path.Combine([Consumer, "node_modules", .. path]);

    public async Task InitializeAsync()
    {
        _work = Directory.CreateTempSubdirectory("realtime-npm-");
        var packed = Directory.CreateDirectory(Path.Combine(_work.FullName, "packed")).FullName;
        await NpmAsync("pack", Source, "--pack-destination", packed);
        Tarball = Assert.Single(Directory.GetFiles(packed, "*.tgz"));

        Consumer = Directory.CreateDirectory(Path.Combine(_work.FullName, "consumer")).FullName;
        await File.WriteAllTextAsync(Path.Combine(Consumer, "package.json"), """{ "name": "consumer", "private": true, "type": "module" }""");
        await NpmAsync("install", "--prefix", Consumer, Tarball, TypeScript);
    }

    public Task DisposeAsync()
    {
        _work.Delete(recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Runs the consumer's TypeScript over its <c>tsconfig.json</c>; returns what it said when it failed, null when it passed.</summary>
    public async Task<string?> TypeCheckAsync()
    {
        await using var tsc = HostProcess.Start("tsc", "node", [Installed("typescript", "bin", "tsc"), "-p", Path.Combine(Consumer, "tsconfig.json")]);
        return await tsc.WaitForExitAsync(s_step) == 0 ? null : tsc.Tail(60);
    }

    private static async Task NpmAsync(params string[] arguments)
    {
        HostProcess npm;
        try
        {
            npm = HostProcess.Start("npm " + arguments[0], "npm", [.. arguments, "--no-audit", "--no-fund", "--loglevel=warn"],
                new Dictionary<string, string> { ["npm_config_update_notifier"] = "false" });
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException("npm not found: apt-get install -y nodejs npm (tests/run.sh does).", error);
        }

        await using (npm)
        {
            var code = await npm.WaitForExitAsync(s_step);
            Assert.True(code == 0, $"npm {string.Join(' ', arguments)} failed ({code}):\n{npm.Tail(60)}");
        }
    }
}
