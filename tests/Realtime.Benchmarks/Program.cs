using System.Globalization;
using Realtime.Benchmarks;
using Realtime.Benchmarks.Servers;
using Realtime.Testing;

// serve floor|signalr <urls> | serve signalr-redis <urls> <redis>   a baseline server (started by `run` as its own process)
// run [--quick] [--reps N] [--only floor,signalr,signalr-redis,embedded,split,split2] [--scenarios idle,fanout,rooms,rtt,silo-cost,room-fill,hot-room] [--hold]
if (args is ["serve", var kind, var urls, .. var rest])
{
    await (kind == "floor" ? FloorServer.RunAsync(urls) : SignalRServer.RunAsync(urls, kind == "signalr-redis" ? rest[0] : null));
    return 0;
}

if (args.Length == 0 || args[0] != "run")
{
    Console.Error.WriteLine("usage: run [--quick] [--reps N] [--only floor,signalr,signalr-redis,embedded,split,split2] [--scenarios idle,fanout,rooms,rtt,silo-cost,room-fill,hot-room] [--hold] | serve floor|signalr <urls> | serve signalr-redis <urls> <redis>");
    return 2;
}

var settings = args.Contains("--quick") ? Settings.Quick : Settings.Full;
if (Option("--window") is { } window)
{
    settings = settings with { Window = int.Parse(window, CultureInfo.InvariantCulture) };
}

var reps = Option("--reps") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 3;
var only = Option("--only")?.Split(',') ?? Deployment.Default;
var scenarios = Option("--scenarios")?.Split(',') ?? Scenarios.All;
var output = RepoPaths.Artifacts("benchmarks");
var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
var results = new List<Result>();
var jsonl = Path.Combine(output, "results.jsonl");
File.WriteAllText(jsonl, "");
void Report(Result result)
{
    results.Add(result);
    var line = result.ToJson();
    Console.WriteLine(line);
    File.AppendAllText(jsonl, line + Environment.NewLine);
}

var started = DateTime.UtcNow;
for (var rep = 1; rep <= reps; rep++)
{
    foreach (var name in only)
    {
        Console.Error.WriteLine($"[{DateTime.UtcNow - started:mm\\:ss}] repetition {rep}/{reps}: {name}");
        await using var deployment = await Deployment.StartAsync(name);
        if (args.Contains("--hold"))
        {
            // For a profiler: say which processes to attach to, and wait for Enter before measuring.
            Console.Error.WriteLine($"{name}: {string.Join(", ", deployment.Processes.Select(p => $"{p.Role} pid {p.Process.Id}"))}; press Enter to measure.");
            Console.ReadLine();
        }

        await new Scenarios(deployment, settings, rep, Report).RunAsync(scenarios);
    }
}

var machine = $"{Environment.ProcessorCount} cores, {Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9)} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
var markdown = Realtime.Benchmarks.Report.Markdown(results, $"Benchmark of {stamp} UTC on {machine}; {reps} repetition(s), medians; {(DateTime.UtcNow - started).TotalMinutes:0.0} min.")
    + Environment.NewLine + Targets.Check(results, settings);
File.WriteAllText(Path.Combine(output, "results.md"), markdown);
Console.WriteLine();
Console.WriteLine(markdown);
return 0;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
