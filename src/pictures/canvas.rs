//! A small drawing surface over tiny-skia: filled (rounded) rectangles, text in the embedded
//! DejaVu Sans, PNG out. Everything is drawn on an opaque background, so blending text onto it
//! is a plain mix of two opaque colours.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use std::sync::LazyLock;
use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, PremultipliedColorU8, Rect, Transform};

/// An opaque colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    fn skia(self) -> tiny_skia::Color {
        tiny_skia::Color::from_rgba8(self.0, self.1, self.2, 255)
    }
}

/// DejaVu Sans 2.37, regular and bold (assets/fonts, Bitstream Vera licence): no system font
/// is ever looked up.
static REGULAR: LazyLock<FontRef<'static>> = LazyLock::new(|| {
    FontRef::try_from_slice(include_bytes!("../../assets/fonts/DejaVuSans.ttf"))
        .expect("the embedded DejaVuSans.ttf parses")
});
static BOLD: LazyLock<FontRef<'static>> = LazyLock::new(|| {
    FontRef::try_from_slice(include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf"))
        .expect("the embedded DejaVuSans-Bold.ttf parses")
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

fn font(w: Weight) -> &'static FontRef<'static> {
    match w {
        Weight::Regular => &REGULAR,
        Weight::Bold => &BOLD,
    }
}

/// Text style: pixel size, weight, colour.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub size: f32,
    pub weight: Weight,
    pub color: Rgb,
}

/// Advance width of `text` in pixels, with kerning.
pub fn measure(text: &str, style: Style) -> f32 {
    let f = font(style.weight).as_scaled(PxScale::from(style.size));
    let mut width = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = f.glyph_id(c);
        if let Some(p) = prev {
            width += f.kern(p, id);
        }
        width += f.h_advance(id);
        prev = Some(id);
    }
    width
}

/// `text` cut with `…` so that it is at most `max_width` pixels wide (one pass over the text,
/// however long).
pub fn fit(text: &str, style: Style, max_width: f32) -> String {
    if measure(text, style) <= max_width {
        return text.to_string();
    }
    let room = max_width - measure("…", style);
    let f = font(style.weight).as_scaled(PxScale::from(style.size));
    let mut width = 0.0;
    let mut prev = None;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        let id = f.glyph_id(c);
        width += prev.map_or(0.0, |p| f.kern(p, id)) + f.h_advance(id);
        if width > room {
            break;
        }
        prev = Some(id);
        end = i + c.len_utf8();
    }
    let kept = text[..end].trim_end();
    if kept.is_empty() || room <= 0.0 {
        String::new()
    } else {
        format!("{kept}…")
    }
}

pub struct Canvas {
    pixmap: Pixmap,
}

impl Canvas {
    /// A `width` × `height` canvas filled with `background`.
    pub fn new(width: u32, height: u32, background: Rgb) -> Canvas {
        let mut pixmap = Pixmap::new(width, height).expect("a card has a non-zero size");
        pixmap.fill(background.skia());
        Canvas { pixmap }
    }

    /// A filled rectangle; nothing when it has no area.
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        if let Some(r) = Rect::from_xywh(x, y, w, h) {
            self.pixmap
                .fill_rect(r, &paint(color), Transform::identity(), None);
        }
    }

    /// A filled rectangle with corners rounded by `radius` (clamped to half the short side).
    pub fn round_rect(&mut self, x: f32, y: f32, w: f32, h: f32, radius: f32, color: Rgb) {
        if w <= 0.0 || h <= 0.0 {
            return;
        }
        let r = radius.min(w / 2.0).min(h / 2.0).max(0.0);
        let mut pb = PathBuilder::new();
        pb.move_to(x + r, y);
        pb.line_to(x + w - r, y);
        pb.quad_to(x + w, y, x + w, y + r);
        pb.line_to(x + w, y + h - r);
        pb.quad_to(x + w, y + h, x + w - r, y + h);
        pb.line_to(x + r, y + h);
        pb.quad_to(x, y + h, x, y + h - r);
        pb.line_to(x, y + r);
        pb.quad_to(x, y, x + r, y);
        pb.close();
        if let Some(path) = pb.finish() {
            self.pixmap.fill_path(
                &path,
                &paint(color),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
    }

    /// Draws `text` with its baseline at `y`, starting at `x`; returns the width drawn.
    pub fn text(&mut self, x: f32, y: f32, text: &str, style: Style) -> f32 {
        let f = font(style.weight).as_scaled(PxScale::from(style.size));
        let (width, height) = (self.pixmap.width() as i32, self.pixmap.height() as i32);
        let pixels = self.pixmap.pixels_mut();
        let mut pen = x;
        let mut prev = None;
        for c in text.chars() {
            let id = f.glyph_id(c);
            if let Some(p) = prev {
                pen += f.kern(p, id);
            }
            let glyph = id.with_scale_and_position(f.scale(), ab_glyph::point(pen, y));
            pen += f.h_advance(id);
            prev = Some(id);
            let Some(outline) = f.outline_glyph(glyph) else {
                continue; // a space
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i32 + gx as i32;
                let py = bounds.min.y as i32 + gy as i32;
                if px < 0 || py < 0 || px >= width || py >= height {
                    return;
                }
                let i = (py * width + px) as usize;
                pixels[i] = mix(pixels[i], style.color, coverage.clamp(0.0, 1.0));
            });
        }
        pen - x
    }

    /// Like [`Canvas::text`], with the text's right edge at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, text: &str, style: Style) {
        let w = measure(text, style);
        self.text(right - w, y, text, style);
    }

    /// The image as PNG bytes.
    pub fn png(&self) -> Vec<u8> {
        self.pixmap
            .encode_png()
            .expect("encoding an in-memory RGBA image cannot fail")
    }
}

fn paint(color: Rgb) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color(color.skia());
    p.anti_alias = true;
    p
}

/// `color` over an opaque pixel with `coverage` (0–1).
fn mix(dst: PremultipliedColorU8, color: Rgb, coverage: f32) -> PremultipliedColorU8 {
    let blend =
        |d: u8, s: u8| (f32::from(s) * coverage + f32::from(d) * (1.0 - coverage)).round() as u8;
    PremultipliedColorU8::from_rgba(
        blend(dst.red(), color.0),
        blend(dst.green(), color.1),
        blend(dst.blue(), color.2),
        255,
    )
    .unwrap_or(dst)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: Style = Style {
        size: 16.0,
        weight: Weight::Regular,
        color: Rgb(0, 0, 0),
    };

    #[test]
    fn the_embedded_fonts_load_and_measure_text() {
        assert!(measure("Progress", BODY) > 40.0);
        let bold = Style {
            weight: Weight::Bold,
            ..BODY
        };
        assert!(measure("Progress", bold) > measure("Progress", BODY));
        assert_eq!(measure("", BODY), 0.0);
    }

    #[test]
    fn fitting_text_cuts_it_with_an_ellipsis_within_the_width() {
        let long = "Computer science foundations and a great deal more besides";
        let cut = fit(long, BODY, 150.0);
        assert!(cut.ends_with('…') && measure(&cut, BODY) <= 150.0, "{cut}");
        assert_eq!(fit("short", BODY, 150.0), "short");
        assert_eq!(fit("anything", BODY, 1.0), "");
    }

    #[test]
    fn text_leaves_ink_in_its_colour_and_nowhere_else() {
        let mut c = Canvas::new(100, 30, Rgb(255, 255, 255));
        let red = Style {
            color: Rgb(200, 0, 0),
            ..BODY
        };
        c.text(4.0, 20.0, "HI", red);
        let px = c.pixmap.pixels();
        assert!(
            px.iter()
                .any(|p| (p.red(), p.green(), p.blue()) == (200, 0, 0))
        );
        assert!(
            px[..100].iter().all(|p| p.red() == 255),
            "the top row is blank"
        );
    }
}
