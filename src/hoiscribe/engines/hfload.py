"""Offline loading of transformers processors and models, with or without torchvision.

Several VLM processors (Qwen2/2.5/3-VL, SmolVLM, LLaVA-OneVision) carry a video
sub-processor that needs torchvision, and fail to build, save or load without it even for
image-only use. When torchvision is absent we put a stub in the video slot: it keeps the
saved video settings (so a folder written here loads unchanged where torchvision exists,
and vice versa) and raises a clear error only if a video is actually passed. Image
processors fall back to their PIL backend. Everything loads with ``local_files_only``.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

from hoiscribe.engines.base import EngineError
from hoiscribe.engines.families import GENERIC, Family

log = logging.getLogger(__name__)


@cache
def torchvision_available() -> bool:
    """Whether torchvision can be imported (decides the video-processor stub)."""
    return importlib.util.find_spec("torchvision") is not None


@cache
def _video_stub_class() -> type:
    from transformers.video_processing_utils import BaseVideoProcessor

    class ImageOnlyVideoProcessor(BaseVideoProcessor):
        """Holds a video processor's settings where torchvision is missing; refuses videos."""

        def __init__(self, original_type: str = "", **settings: Any) -> None:
            super().__init__()
            self.original_type = original_type
            self.settings = dict(settings)
            for key, value in settings.items():
                setattr(self, key, value)

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            raise EngineError("video input needs torchvision; this environment processes images only")

        def to_dict(self) -> dict[str, Any]:
            out = dict(self.settings)
            out["video_processor_type"] = self.original_type
            return out

        def to_json_string(self) -> str:
            return json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"

    return ImageOnlyVideoProcessor


def video_stub(settings: dict[str, Any] | None) -> Any:
    """A stand-in video processor carrying ``settings`` (a saved video processor dict)."""
    settings = dict(settings or {})
    original_type = settings.pop("video_processor_type", "") or ""
    return _video_stub_class()(original_type=original_type, **settings)


@cache
def image_only(cls: type) -> type:
    """``cls`` accepting the video stub: transformers' class check for the video slot
    itself needs torchvision, so it is skipped for the stub and kept for everything else.
    The subclass keeps the name, so saved folders name the original processor class."""

    stub_cls = _video_stub_class()

    def check_argument_for_proper_class(self: Any, argument_name: str, argument: Any) -> Any:
        if isinstance(argument, stub_cls):
            return stub_cls
        return cls.check_argument_for_proper_class(self, argument_name, argument)

    return type(
        cls.__name__,
        (cls,),
        {"check_argument_for_proper_class": check_argument_for_proper_class, "__module__": cls.__module__},
    )


def processor_class_name(model_type: str) -> str | None:
    """The processor class transformers pairs with a model type."""
    from transformers.models.auto.auto_mappings import PROCESSOR_MAPPING_NAMES

    try:
        from transformers.models.auto.processing_auto import PROCESSOR_MAPPING_NAMES as extra
    except ImportError:  # pragma: no cover - layout of older releases
        extra = {}
    name = extra.get(model_type) or PROCESSOR_MAPPING_NAMES.get(model_type)
    return name if isinstance(name, str) else None


def _processor_dict(model_dir: Path) -> dict[str, Any]:
    path = model_dir / "processor_config.json"
    if path.is_file():
        return json.loads(path.read_text())
    return {}


def load_processor(model_dir: Path, model_type: str) -> Any:
    """The model's processor, loaded offline; image-only when torchvision is missing."""
    import transformers
    from transformers import AutoImageProcessor, AutoProcessor, AutoTokenizer

    name = processor_class_name(model_type)
    cls = getattr(transformers, name, None) if name else None
    if cls is None or torchvision_available():
        try:
            return AutoProcessor.from_pretrained(model_dir, local_files_only=True)
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise EngineError(f"model {str(model_dir)!r}: cannot load its processor ({exc})") from exc
    attributes = cls.get_attributes()
    try:
        processor_dict, extra_kwargs = cls.get_processor_dict(model_dir, local_files_only=True)
        args: list[Any] = []
        for attr in attributes:
            if attr == "tokenizer":
                args.append(AutoTokenizer.from_pretrained(model_dir, local_files_only=True))
            elif attr == "image_processor":
                args.append(AutoImageProcessor.from_pretrained(model_dir, local_files_only=True, backend="pil"))
            elif attr == "video_processor":
                settings = processor_dict.get("video_processor") or _video_settings_file(model_dir)
                args.append(video_stub(settings))
            else:
                raise EngineError(f"processor {name} needs a {attr}, which this engine cannot load")
        return image_only(cls).from_args_and_dict(args, processor_dict, **extra_kwargs)
    except EngineError:
        raise
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise EngineError(
            f"model {str(model_dir)!r}: cannot load its {name} processor offline ({exc}); "
            "the folder needs tokenizer and processor files next to config.json"
        ) from exc


def _video_settings_file(model_dir: Path) -> dict[str, Any] | None:
    path = model_dir / "video_preprocessor_config.json"
    return json.loads(path.read_text()) if path.is_file() else None


def check_processor_files(model_dir: Path) -> None:
    """Fail early, naming the model, when tokenizer or processor files are missing."""
    names = {p.name for p in model_dir.iterdir()}
    if not names & {"tokenizer.json", "tokenizer.model", "vocab.json", "tokenizer_config.json"}:
        raise EngineError(f"model {str(model_dir)!r}: no tokenizer files (tokenizer.json / tokenizer_config.json)")
    if not names & {"processor_config.json", "preprocessor_config.json"}:
        raise EngineError(
            f"model {str(model_dir)!r}: no processor files (processor_config.json / preprocessor_config.json)"
        )


def load_model(
    model_dir: Path,
    family: Family,
    model_type: str,
    torch_dtype: str | None = None,
    device_map: str | dict | None = None,
    attn_implementation: str | None = None,
) -> Any:
    """The model in eval mode, loaded offline with the requested dtype and placement."""
    import torch
    import transformers

    if family.model_class:
        cls = getattr(transformers, family.model_class)
    else:
        from transformers.models.auto.modeling_auto import MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES

        if family is GENERIC and model_type not in MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES:
            raise EngineError(
                f"model {str(model_dir)!r}: model_type {model_type!r} is neither a registered family "
                "nor an image-text-to-text model transformers knows"
            )
        cls = transformers.AutoModelForImageTextToText
    kwargs: dict[str, Any] = {"local_files_only": True}
    if torch_dtype and torch_dtype != "auto":
        dtype = getattr(torch, torch_dtype, None)
        if not isinstance(dtype, torch.dtype):
            raise EngineError(f"unknown torch_dtype {torch_dtype!r}")
        kwargs["dtype"] = dtype
    elif torch_dtype == "auto":
        kwargs["dtype"] = "auto"
    if device_map is not None:
        kwargs["device_map"] = device_map
    if attn_implementation:
        kwargs["attn_implementation"] = attn_implementation
    try:
        model = cls.from_pretrained(model_dir, **kwargs)
    except (OSError, ValueError) as exc:
        raise EngineError(f"model {str(model_dir)!r}: cannot load weights ({exc})") from exc
    return model.eval()
