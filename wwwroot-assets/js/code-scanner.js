// Camera scan of a coupon's QR code or barcode, where the browser decodes them itself (BarcodeDetector: Chrome on
// Android and macOS, not desktop Linux or iOS). Typing the code always works; the scan button only shows where this does.
const wantedFormats = ['qr_code', 'code_128', 'code_39', 'ean_13', 'ean_8', 'upc_a'];
let current = null;

export function supported() {
    return 'BarcodeDetector' in window && !!navigator.mediaDevices?.getUserMedia;
}

export async function start(video, listener) {
    stop();
    let stream;
    try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch (error) {
        await listener.invokeMethodAsync('ScanFailed', error?.name ?? 'Error');
        return;
    }
    const formats = (await BarcodeDetector.getSupportedFormats()).filter(f => wantedFormats.includes(f));
    const detector = new BarcodeDetector({ formats });
    const session = { stream, stopped: false };
    current = session;
    video.srcObject = stream;
    await video.play();
    const look = async () => {
        if (session.stopped) return;
        try {
            const found = await detector.detect(video);
            if (found.length > 0 && !session.stopped) {
                stop();
                await listener.invokeMethodAsync('Scanned', found[0].rawValue);
                return;
            }
        } catch {
            // A frame that is not ready yet: look again.
        }
        setTimeout(look, 200);
    };
    look();
}

export function stop() {
    if (!current) return;
    current.stopped = true;
    current.stream.getTracks().forEach(track => track.stop());
    current = null;
}
