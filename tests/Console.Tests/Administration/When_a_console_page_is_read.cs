using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Console.Tests.Support;

namespace Gatehouse.Console.Tests.Administration;

[Collection(ConsoleCollection.Name)]
public sealed class When_a_console_page_is_read(ConsoleStack stack)
{
    [Fact]
    public async Task Should_be_in_the_audit_trail_with_who_page_query_and_source()
    {
        var (admin, page) = await Administration.SignedInAdministratorAsync(stack);
        var probe = Guid.NewGuid().ToString("N");
        var response = await page.GotoAsync($"/administration/grants?IncludeRevoked=true&probe={probe}");
        Assert.Equal(200, response!.Status);

        var read = await ReadAsync(admin.Name, e => e.GetProperty("data").GetProperty("query").GetString()?.Contains(probe) == true);
        var data = read.GetProperty("data");
        Assert.Equal("/administration/grants", data.GetProperty("page").GetString());
        Assert.Equal(200, data.GetProperty("statusCode").GetInt32());
        Assert.Equal(admin.Name, read.GetProperty("actor").GetString());
        Assert.Equal("127.0.0.1", read.GetProperty("sourceAddress").GetString());
        Assert.Equal("127.0.0.1", data.GetProperty("reportedBy").GetString());
    }

    [Fact]
    public async Task Should_record_a_refused_read_with_its_status()
    {
        var analyst = await stack.PersonAsync("refused", "soc-analyst");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, analyst);
        await page.WaitForURLAsync("**/alerts");
        var response = await page.GotoAsync("/administration/vault?attempt=1");
        Assert.Equal(403, response!.Status);

        var read = await ReadAsync(analyst.Name, e => e.GetProperty("data").GetProperty("page").GetString() == "/administration/vault");
        Assert.Equal(403, read.GetProperty("data").GetProperty("statusCode").GetInt32());
        Assert.Equal("attempt=1", read.GetProperty("data").GetProperty("query").GetString());
    }

    [Fact]
    public async Task Should_record_the_page_a_refused_change_shows_again()
    {
        var (admin, page) = await Administration.SignedInAdministratorAsync(stack);
        await page.GotoAsync("/administration/roles");
        await page.FillAsync("#define-role input[name='Define.Name']", "not a role name!");
        var refused = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#define-role button[type=submit]"), r => r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);

        var read = await ReadAsync(admin.Name, e => e.GetProperty("data").GetProperty("statusCode").GetInt32() == 400);
        Assert.Equal("/administration/roles", read.GetProperty("data").GetProperty("page").GetString());
        Assert.Equal("handler=Define", read.GetProperty("data").GetProperty("query").GetString());
    }

    /// <summary>The reader's ConsolePageRead events, as the Audit SOC API gives them, until one matches (the store is written before the page is sent).</summary>
    private async Task<JsonElement> ReadAsync(string reader, Func<JsonElement, bool> matches)
    {
        using var audit = Administration.Audit(stack);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var found = await audit.GetFromJsonAsync<JsonElement>($"api/audit/events?type=ConsolePageRead&actor={reader}&limit=1000");
            if (found.GetProperty("events").EnumerateArray().FirstOrDefault(matches) is { ValueKind: JsonValueKind.Object } read)
            {
                return read;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"No ConsolePageRead of {reader} matched: {found}");
            await Task.Delay(500);
        }
    }
}
