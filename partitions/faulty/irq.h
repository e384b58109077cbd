/* faulty's driver phase with the PL031 (irq=on): see irq.c. */
#ifndef FAULTY_IRQ_H
#define FAULTY_IRQ_H

/* Runs the phase once; wait_period lets one period (or 10 ms) pass. */
void faulty_irq_phase(void (*wait_period)(void));

#endif
