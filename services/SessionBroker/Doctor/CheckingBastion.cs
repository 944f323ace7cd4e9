namespace Gatehouse.SessionBroker.Doctor;

/// <summary><c>GET /api/doctor</c>: the doctor run now on the gateway's machine (what <c>gatehouse doctor</c> prints).</summary>
public static class CheckingBastion
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/doctor", async (BastionDoctor doctor, CancellationToken cancellationToken) => Results.Ok(await doctor.RunAsync(cancellationToken)));
}
