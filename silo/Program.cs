using Realtime.SiloHost;

await SiloApp.Create(args).RunAsync();
