using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.Vocabulary;
using Marten;
using Microsoft.Extensions.Options;

namespace Gatehouse.SessionBroker.Doctor;

/// <summary>
/// Runs the doctor every <see cref="DoctorSettings.Interval"/> and records each result as <see cref="BastionDoctorReported"/>,
/// which the Audit service stores and alerts on (a critical finding raises bastion-critical). The gateway reports rather
/// than Audit calling it: the services have no credentials for each other's HTTP APIs, and the event store is how
/// everything else reaches Audit, outages included.
/// </summary>
public sealed class DoctorReporter(BastionDoctor doctor, IDocumentStore store, IOptions<DoctorSettings> settings, ILogger<DoctorReporter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = settings.Value.Interval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        // After the gateway listens, so its own listener is known.
        await Task.Delay(TimeSpan.FromSeconds(30), stoppingToken);
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await RecordAsync(await doctor.RunAsync(stoppingToken), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The bastion doctor could not run or record its result");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RecordAsync(DoctorReport report, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var stream = DerivedIds.From("bastion-doctor", report.Host);
        var reported = new BastionDoctorReported(report.Host, report.Findings, "gateway", null, CorrelationIds.Of(stream),
            EventIds.New(report.CheckedAt), report.CheckedAt);
        if (await session.Events.FetchStreamStateAsync(stream, cancellationToken) is null)
        {
            session.StartStreamWithAccessEvent(stream, reported);
        }
        else
        {
            session.AppendAccessEvent(stream, reported);
        }

        await session.SaveChangesAsync(cancellationToken);
    }
}
