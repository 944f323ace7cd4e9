using QRCoder;

namespace Gatehouse.Authentication.Credentials.Mfa;

/// <summary>Renders an otpauth:// URI as a QR code of Unicode half-blocks that a terminal can show and a phone can scan.</summary>
public static class TerminalQrCode
{
    public static string Render(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        using var qr = new AsciiQRCode(data);
        return qr.GetGraphicSmall();
    }
}
