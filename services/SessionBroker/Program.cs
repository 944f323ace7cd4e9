using Gatehouse.ServiceDefaults;
using Gatehouse.SessionBroker;
using Gatehouse.SessionBroker.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSessionBrokerServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapSessionBrokerApi();
app.Run();

public partial class Program;
