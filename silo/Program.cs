using Realtime.Hosting;
using Realtime.SiloHost;

return await RealtimeHostRunner.RunAsync(() => SiloApp.Create(args), waitForRedis: true);
