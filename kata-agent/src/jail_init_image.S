/* The jails' reaper (reaper/jail_init.c), built as a program of its own and carried inside kata-agent: the Python
 * template copies these bytes into a sealed memfd, which PID 1 of each of its jails execs (warm/template.c). */
    .section .rodata
    .balign 16
    .global jail_init_image, jail_init_image_end
jail_init_image:
    .incbin JAIL_INIT
jail_init_image_end:
    .section .note.GNU-stack, "", @progbits
